//! Pure drawing helpers: colour maps, RGBA buffers and downsampling. No web dependencies.
