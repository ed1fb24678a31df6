"""Run code cells, given as a JSON list on stdin, in order in one fresh namespace.

Used by the copy-paste test: it behaves like pasting each cell into a new Python
session, and on failure it says which cell failed and shows its code.
"""

import json
import sys
import traceback


def main() -> int:
    namespace = {"__name__": "__main__"}
    for number, code in enumerate(json.load(sys.stdin), start=1):
        try:
            exec(compile(code, f"<cell {number}>", "exec"), namespace)
        except BaseException:
            print(f"cell {number} failed:\n{code}\n", file=sys.stderr)
            traceback.print_exc()
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
