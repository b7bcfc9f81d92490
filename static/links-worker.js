// Draws the network diagram's weight lines off the page's main thread.
//
// Stroking a few hundred wide anti-aliased curves (dashed when negative) takes 12–20 ms
// on a software-rendered canvas; done here, on an OffscreenCanvas, it runs beside
// training instead of inside a frame. The page (src/ui/link_worker.rs) posts
//   { id, w, h, ratio, groups: [{ colour, width, dash: [on, off] | [], curves: Float64Array }] }
// with 8 numbers per curve (start, two controls, end, in CSS pixels), and receives
//   { id, bitmap } — an ImageBitmap of w × h device pixels — or { id, error }.
'use strict';

let canvas = null;
let ctx = null;

self.onmessage = (event) => {
  const { id, w, h, ratio, groups } = event.data;
  try {
    if (!canvas || canvas.width !== w || canvas.height !== h) {
      canvas = new OffscreenCanvas(w, h);
      ctx = canvas.getContext('2d');
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    for (const g of groups) {
      const c = g.curves;
      ctx.beginPath();
      for (let k = 0; k + 7 < c.length; k += 8) {
        ctx.moveTo(c[k], c[k + 1]);
        ctx.bezierCurveTo(c[k + 2], c[k + 3], c[k + 4], c[k + 5], c[k + 6], c[k + 7]);
      }
      ctx.strokeStyle = g.colour;
      ctx.lineWidth = g.width;
      ctx.setLineDash(g.dash);
      ctx.stroke();
    }
    const bitmap = canvas.transferToImageBitmap();
    self.postMessage({ id, bitmap }, [bitmap]);
  } catch (e) {
    self.postMessage({ id, error: String(e) });
  }
};
