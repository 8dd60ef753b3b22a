# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What Galaxy and Automation Hub would list and render, from galaxy-importer's importer_result.json.

Usage: python tests/galaxy/check_importer_result.py IMPORTER_RESULT_JSON COLLECTION_ROOT

Every module and the event source must be listed with their options and examples, and the importer must have read
galaxy.yml's version. Exit 1, naming each problem, otherwise.
"""

from __future__ import annotations

import glob
import json
import os
import sys

import yaml


def _wanted(root):
    """(content type, name) of every module and event source of the collection at ``root``."""
    wanted = {("module", os.path.basename(path)[:-3]) for path in glob.glob(os.path.join(root, "plugins", "modules", "*.py"))}
    sources = glob.glob(os.path.join(root, "extensions", "eda", "plugins", "event_source", "*.py"))
    return wanted | {("eda/plugins/event_source", os.path.basename(path)[:-3]) for path in sources}


def problems_of(result, root):
    """The problems of one importer result; prints what is listed."""
    with open(os.path.join(root, "galaxy.yml"), encoding="utf-8") as handle:
        version = yaml.safe_load(handle)["version"]
    problems = []
    if result["metadata"]["version"] != version:
        problems.append("galaxy-importer read version %s, galaxy.yml says %s" % (result["metadata"]["version"], version))
    docs = {(item["content_type"], item["content_name"]): item.get("doc_strings") or {}
            for item in result["docs_blob"]["contents"]}
    for kind, name in sorted(_wanted(root)):
        doc = docs.get((kind, name))
        if doc is None:
            problems.append("galaxy-importer does not list the %s %s" % (kind, name))
        elif not (doc.get("doc") or {}).get("options") or not doc.get("examples"):
            problems.append("galaxy-importer lists the %s %s without its options or examples" % (kind, name))
        else:
            print("galaxy-importer lists the %s %s (version_added %s) with %d options and its examples"
                  % (kind, name, doc["doc"].get("version_added"), len(doc["doc"]["options"])))
    return problems


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        result = json.load(handle)
    problems = problems_of(result, sys.argv[2])
    print("\n".join(problems))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
