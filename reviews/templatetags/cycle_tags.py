"""Tags of the reporting cycle's pages."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def count_cells(cells: list[dict]) -> SafeString:
    """A row's counts as table cells, each a link to the list behind it where it has one and
    is not zero. Written out by hand, since a national completeness page has some 2,400: the
    counts are integers, and the addresses are escaped."""
    html = []
    for cell in cells:
        count = int(cell["count"])
        if cell["url"] and count:
            html.append(f'<td class="number"><a href="{escape(cell["url"])}">{count}</a></td>')
        else:
            html.append(f'<td class="number">{count}</td>')
    return SafeString("".join(html))
