"""Replace {{ torch_version }} and {{ python_version }} in pages with the versions installed.

The site is built in the same environment that runs the doc tests, so the version a page
names is the one its outputs were checked with; nobody types it by hand.
"""

import platform
import re
from importlib.metadata import version

from mkdocs.exceptions import PluginError

VALUES = {
    "torch_version": version("torch").split("+")[0],
    "python_version": platform.python_version(),
}
PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def substitute_placeholders(markdown: str, where: str) -> str:
    def substitute(match):
        name = match.group(1)
        if name not in VALUES:
            raise PluginError(
                f"{where}: unknown placeholder {match.group(0)!r}; "
                f"known: {', '.join(sorted(VALUES))}"
            )
        return VALUES[name]

    return PLACEHOLDER.sub(substitute, markdown)


def on_page_markdown(markdown, page, **kwargs):
    return substitute_placeholders(markdown, page.file.src_path)
