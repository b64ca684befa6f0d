"""Colour arithmetic for the browser tests: WCAG contrast, and reading CSS colours in JS."""

# JavaScript functions to splice into the scripts the tests evaluate in the page: rgba(text)
# reads a computed CSS colour as [r, g, b, a]; over(top, bottom) composites a colour over an
# opaque one.
RGBA_JS = """  function rgba(text) {
    const match = text.match(/^rgba?\\((.*)\\)$/);
    const parts = match ? match[1].split(/[\\s,\\/]+/).map(Number) : [];
    if (parts.length < 3 || parts.some(Number.isNaN))
      throw new Error("cannot read the colour " + text);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  }
  function over(top, bottom) {
    return [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  }
"""


def luminance(rgb) -> float:
    def channel(value):
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground, background) -> float:
    """WCAG contrast ratio; a translucent foreground is composited over the background."""
    alpha = foreground[3]
    seen = [foreground[i] * alpha + background[i] * (1 - alpha) for i in range(3)]
    light, dark = sorted((luminance(seen), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
