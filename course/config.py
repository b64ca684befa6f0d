"""Read the project's YAML: mkdocs.yml (whose MkDocs tags such as !relative plain YAML cannot
read) and the .nav.yml files of docs/."""

from pathlib import Path

import yaml


class TolerantLoader(yaml.SafeLoader):
    """For reading, not building: MkDocs' own tags (!relative, ...) load as None."""


TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def load_yaml(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=TolerantLoader) or {}


def mkdocs_config(root: Path) -> dict:
    return load_yaml(root / "mkdocs.yml")


def markdown_extensions(root: Path, without=("pymdownx.snippets",)) -> tuple[list[str], dict]:
    """mkdocs.yml's Markdown extensions and their options, without the ones named (by default
    pymdownx.snippets, so that a page renders with its --8<-- include lines left in place)."""
    names, configs = [], {}
    for entry in mkdocs_config(root)["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        if name not in without:
            names.append(name)
            configs[name] = options or {}
    return names, configs
