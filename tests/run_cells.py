"""Run code cells, given as a JSON list on stdin, in order in one fresh namespace.

Used by the copy-paste test: it behaves like pasting each cell into a new IPython
session or notebook, and on failure it says which cell failed and shows its code.
Like IPython, it keeps each cell's source where ``inspect`` finds it, which AutoGraph
needs to convert a ``tf.function``.
"""

import json
import linecache
import sys
import traceback


def main() -> int:
    namespace = {"__name__": "__main__"}
    for number, code in enumerate(json.load(sys.stdin), start=1):
        filename = f"<cell {number}>"
        linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
        try:
            exec(compile(code, filename, "exec"), namespace)
        except BaseException:
            print(f"cell {number} failed:\n{code}\n", file=sys.stderr)
            traceback.print_exc()
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
