"""``python -m jixiao``: the same command line as ``jixiao`` (for a PC whose PATH lacks the script)."""

from jixiao.cli import main

if __name__ == "__main__":
    main(prog_name="jixiao")
