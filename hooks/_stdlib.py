"""The standard library's top-level module names, for every Python diffwarden supports.

Python 3.10 and later list them in `sys.stdlib_module_names`; 3.9 does not, so its list is
shipped here (taken from a CPython 3.9.18 install on Linux, plus the Windows-only modules).
Modules of other supported Pythons count too: those removed since (PEP 594, distutils), for
code that still supports the Pythons that had them, and `tomllib` (3.11), for code that needs it.
"""

from __future__ import annotations

import sys
from typing import FrozenSet

PY39 = frozenset(
    """
__future__ _abc _aix_support _ast _asyncio _bisect _blake2 _bootlocale _bootsubprocess _bz2
_codecs _codecs_cn _codecs_hk _codecs_iso2022 _codecs_jp _codecs_kr _codecs_tw _collections
_collections_abc _compat_pickle _compression _contextvars _crypt _csv _ctypes _curses
_curses_panel _datetime _decimal _elementtree _functools _hashlib _heapq _imp _io _json
_locale _lsprof _lzma _markupbase _md5 _msi _multibytecodec _multiprocessing _opcode
_operator _osx_support _overlapped _peg_parser _pickle _posixshmem _posixsubprocess _py_abc
_pydecimal _pyio _queue _random _sha1 _sha256 _sha3 _sha512 _signal _sitebuiltins _socket
_sqlite3 _sre _ssl _stat _statistics _string _strptime _struct _symtable
_sysconfigdata__linux_x86_64-linux-gnu _thread _threading_local _tkinter _tracemalloc _uuid
_warnings _weakref _weakrefset _winapi _winreg _zoneinfo abc aifc argparse array ast
asynchat asyncio asyncore atexit audioop base64 bdb binascii binhex bisect builtins bz2
cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop collections colorsys
compileall concurrent configparser contextlib contextvars copy copyreg crypt csv ctypes
curses dataclasses datetime dbm decimal difflib dis distutils doctest email encodings
ensurepip enum errno faulthandler fcntl filecmp fileinput fnmatch formatter fractions ftplib
functools gc genericpath getopt getpass gettext glob graphlib grp gzip hashlib heapq hmac
html http idlelib imaplib imghdr imp importlib inspect io ipaddress itertools json keyword
lib2to3 linecache locale logging lzma mailbox mailcap marshal math mimetypes mmap
modulefinder msilib msvcrt multiprocessing netrc nis nntplib nt ntpath nturl2path numbers
opcode operator optparse os ossaudiodev parser pathlib pdb pickle pickletools pipes pkgutil
platform plistlib poplib posix posixpath pprint profile pstats pty pwd py_compile pyclbr
pydoc pydoc_data pyexpat queue quopri random re readline reprlib resource rlcompleter runpy
sched secrets select selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket
socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics string
stringprep struct subprocess sunau symbol symtable sys sysconfig syslog tabnanny tarfile
telnetlib tempfile termios textwrap threading time timeit tkinter token tokenize trace
traceback tracemalloc tty turtle turtledemo types typing unicodedata unittest urllib uu uuid
venv warnings wave weakref webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp
zipfile zipimport zlib zoneinfo
""".split()
)
OTHER_PYTHONS = frozenset(
    """
aifc asynchat asyncore audioop binhex cgi cgitb chunk crypt distutils formatter imghdr imp
lib2to3 mailcap msilib nis nntplib ossaudiodev parser pipes smtpd sndhdr spwd sunau symbol
telnetlib tomllib uu xdrlib
""".split()
)


def stdlib_names() -> FrozenSet[str]:
    """Every top-level name the standard library of a supported Python holds."""
    return frozenset(getattr(sys, "stdlib_module_names", PY39)) | OTHER_PYTHONS
