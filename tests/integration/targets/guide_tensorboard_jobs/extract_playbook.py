# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Print the first ``yaml+jinja`` code block after the "The playbook" heading of a guide, dedented."""

from __future__ import annotations

import sys
import textwrap


def playbook(lines):
    """The lines of the code block."""
    start = lines.index("The playbook\n")
    start = next(index for index in range(start, len(lines)) if lines[index].startswith(".. code-block:: yaml+jinja"))
    block = []
    for line in lines[start + 1:]:
        if line.strip() and not line.startswith(" "):
            break
        block.append(line)
    return textwrap.dedent("".join(block)).strip("\n") + "\n"


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        sys.stdout.write(playbook(handle.readlines()))


if __name__ == "__main__":
    main()
