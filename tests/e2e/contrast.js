// WCAG 2.1 contrast of every visible element that holds text, against its effective background.
// Returns the failures: [{text, ratio, needed}] (AA: 4.5:1, 3:1 for large text).
function parse(color) {
  var m = color.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
  return m ? {r: +m[1], g: +m[2], b: +m[3], a: m[4] === undefined ? 1 : +m[4]} : null;
}
function luminance(c) {
  var parts = [c.r, c.g, c.b].map(function (v) {
    v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2];
}
function background(node) {
  for (; node && node.nodeType === 1; node = node.parentNode) {
    var c = parse(getComputedStyle(node).backgroundColor);
    if (c && c.a > 0) { return c; }
  }
  return {r: 255, g: 255, b: 255, a: 1};
}
var failures = [];
var all = document.querySelectorAll("body *");
for (var i = 0; i < all.length; i++) {
  var node = all[i];
  var own = Array.prototype.some.call(node.childNodes, function (n) {
    return n.nodeType === 3 && n.textContent.trim();
  });
  if (!own || node.getClientRects().length === 0) { continue; }
  var style = getComputedStyle(node);
  if (style.visibility === "hidden" || node.closest("title")) { continue; }
  var isSvg = node instanceof SVGElement;
  var fg = parse(isSvg ? style.fill : style.color);
  if (!fg) { continue; }
  var bg = background(isSvg ? node.ownerSVGElement.parentNode : node);
  var l1 = luminance(fg), l2 = luminance(bg);
  var ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  var size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
  var needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
  if (ratio < needed) {
    failures.push({text: node.textContent.trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100, needed: needed});
  }
}
return failures;
