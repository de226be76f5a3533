#!/usr/bin/env python
from tandem.__main__ import main

if __name__ == "__main__":
    main()
