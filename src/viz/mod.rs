//! Pure drawing helpers: colour maps, RGBA buffers, chart ranges and downsampling.
//! No web dependencies; the UI copies the buffers to canvases.

pub mod colormap;
pub mod contour;
pub mod heatmap;
pub mod series;

pub use colormap::{Palette, Rgb};
pub use heatmap::Heatmap;
pub use series::Series;
