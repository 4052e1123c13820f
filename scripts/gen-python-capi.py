#!/usr/bin/env python3
"""Generates python/libndimage/_capi.py, the ctypes declaration of the C API, from
include/ndimage.h.

    python3 scripts/gen-python-capi.py            # rewrites python/libndimage/_capi.py
    python3 scripts/gen-python-capi.py --stdout   # prints it instead

Needs only the Python standard library. `tests/python_capi.rs` (cargo test) fails when the
committed _capi.py differs from what this script makes from the committed header;
`NDI_UPDATE_PYTHON_CAPI=1 cargo test --test python_capi` rewrites it.

The header is cbindgen's output: one declaration per item, each optionally preceded by a doc
comment. Every item of the header becomes a Python name, in the header's order:

* `#define NAME <integer expression>` and `[static] const T NAME = <expression>;`: an int;
* `enum` bodies: their enumerators as ints (a typedef'd enum type is `ctypes.c_int`);
* `typedef T name;`: an alias of T's ctypes type;
* `struct`/`union` definitions: a `ctypes.Structure`/`ctypes.Union` with `_fields_` in
  declaration order (fixed-size array fields included); a struct only declared is opaque;
* `typedef R (*name)(...)`: a `ctypes.CFUNCTYPE`;
* function prototypes: the library's function with `restype` and `argtypes` set.

A construct the script does not know is an error, never silently skipped, so that a new kind
of declaration in the header is noticed when the drift test regenerates the file.
"""

import argparse
import ast
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = os.path.join(ROOT, "include", "ndimage.h")
OUTPUT = os.path.join(ROOT, "python", "libndimage", "_capi.py")

# C scalar types -> ctypes. Pointer-sized integers are c_ssize_t / c_size_t.
BUILTIN_TYPES = {
    "char": "ctypes.c_char",
    "signed char": "ctypes.c_byte",
    "unsigned char": "ctypes.c_ubyte",
    "short": "ctypes.c_short",
    "unsigned short": "ctypes.c_ushort",
    "int": "ctypes.c_int",
    "unsigned": "ctypes.c_uint",
    "unsigned int": "ctypes.c_uint",
    "long": "ctypes.c_long",
    "unsigned long": "ctypes.c_ulong",
    "long long": "ctypes.c_longlong",
    "unsigned long long": "ctypes.c_ulonglong",
    "float": "ctypes.c_float",
    "double": "ctypes.c_double",
    "bool": "ctypes.c_bool",
    "_Bool": "ctypes.c_bool",
    "int8_t": "ctypes.c_int8",
    "uint8_t": "ctypes.c_uint8",
    "int16_t": "ctypes.c_int16",
    "uint16_t": "ctypes.c_uint16",
    "int32_t": "ctypes.c_int32",
    "uint32_t": "ctypes.c_uint32",
    "int64_t": "ctypes.c_int64",
    "uint64_t": "ctypes.c_uint64",
    "intptr_t": "ctypes.c_ssize_t",
    "uintptr_t": "ctypes.c_size_t",
    "size_t": "ctypes.c_size_t",
    "ssize_t": "ctypes.c_ssize_t",
    "ptrdiff_t": "ctypes.c_ssize_t",
}
QUALIFIERS = {"const", "volatile", "restrict"}
IDENT = r"[A-Za-z_]\w*"


class HeaderError(Exception):
    """The header holds something this script cannot translate."""


# --------------------------------------------------------------------------------------
# Reading the header: (doc comment, declaration text) items
# --------------------------------------------------------------------------------------

def _drop_cplusplus_blocks(text):
    """Removes `#if[def] __cplusplus ... #endif` blocks (the `extern "C"` wrapper) and every
    preprocessor line except `#define`; other conditionals (the include guard) keep their
    contents."""
    out, skipping, depth = [], 0, 0
    for line in text.split("\n"):
        directive = re.match(r"\s*#\s*(\w+)(.*)", line)
        if directive:
            word, rest = directive.group(1), directive.group(2).strip()
            if word in ("if", "ifdef", "ifndef"):
                depth += 1
                if not skipping and word != "ifndef" and "__cplusplus" in rest:
                    skipping = depth
                continue
            if word == "endif":
                if skipping == depth:
                    skipping = 0
                depth -= 1
                continue
            if word == "else" and skipping == depth:
                skipping = 0  # the non-C++ branch
                continue
            if skipping or word != "define":
                continue
        if not skipping:
            out.append(line)
    return "\n".join(out)


def _doc_text(comment):
    """The first paragraph of a comment (`/* */`, `/** */`, or a run of `//` or `///`
    lines, whatever cbindgen's documentation style), as plain lines."""
    body = re.sub(r"^/\*\*?|\*/$", "", comment.strip())
    lines = []
    for line in body.split("\n"):
        line = re.sub(r"^\s*(\*|///?)?\s?", "", line).rstrip()
        if not line and lines:
            break
        if line:
            lines.append(line)
    return lines


def read_items(text):
    """The header's declarations in order, as (doc lines, kind, text): kind "define" for a
    `#define` line, "decl" for a C declaration up to its `;`."""
    text = _drop_cplusplus_blocks(text)
    items, doc, i, n = [], [], 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        # A comment documents the item that follows it.
        if text.startswith("/*", i):
            end = text.index("*/", i) + 2
            doc, i = _doc_text(text[i:end]), end
            continue
        if text.startswith("//", i):
            m = re.compile(r"(?:[ \t]*//[^\n]*(?:\n|$))+").match(text, i)
            doc, i = _doc_text(m.group(0)), m.end()
            continue
        if text[i] == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            items.append((doc, "define", text[i:end].strip()))
            doc, i = [], end
            continue
        # A declaration: up to the `;` outside braces (comments inside are dropped).
        depth, start, parts = 0, i, []
        while True:
            if i >= n:
                raise HeaderError(f"unterminated declaration: {text[start:start + 60]!r}")
            if text.startswith("/*", i):
                parts.append(text[start:i])
                i = start = text.index("*/", i) + 2
                continue
            if text.startswith("//", i):
                parts.append(text[start:i])
                end = text.find("\n", i)
                i = start = n if end < 0 else end
                continue
            c = text[i]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            elif c == ";" and depth == 0:
                parts.append(text[start:i])
                i += 1
                break
            i += 1
        items.append((doc, "decl", " ".join(" ".join(parts).split())))
        doc = []
    return items


# --------------------------------------------------------------------------------------
# Integer expressions (#define values, enumerators, array sizes)
# --------------------------------------------------------------------------------------

_BINARY = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
           ast.Mult: lambda a, b: a * b, ast.LShift: lambda a, b: a << b,
           ast.RShift: lambda a, b: a >> b, ast.BitOr: lambda a, b: a | b,
           ast.BitAnd: lambda a, b: a & b, ast.BitXor: lambda a, b: a ^ b,
           ast.Mod: lambda a, b: a % b}
_UNARY = {ast.USub: lambda a: -a, ast.UAdd: lambda a: a, ast.Invert: lambda a: ~a}


def evaluate(expression, constants):
    """The value of a C constant expression made of integer or floating literals (with C
    suffixes), earlier constants, casts to scalar types, unary and binary operators."""
    source = expression
    # Casts such as `(int32_t)` or `(unsigned int)`.
    source = re.sub(r"\(\s*(?:const\s+)?(%s)\s*\)" % "|".join(
        re.escape(t) for t in sorted(BUILTIN_TYPES, key=len, reverse=True)), " ", source)
    # Literal suffixes: 1u, 1UL, 2.5f.
    source = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", source)
    source = re.sub(r"\b(\d+\.\d*(?:[eE][-+]?\d+)?)[fFlL]\b", r"\1", source)
    source = re.sub(r"(?<![.\w])0([0-7]+)\b", r"0o\1", source)  # C octal
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise HeaderError(f"cannot evaluate {expression!r}") from exc

    def value(node):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return node.value
        if isinstance(node, ast.Name) and node.id in constants:
            return constants[node.id]
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return _UNARY[type(node.op)](value(node.operand))
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            a, b = value(node.left), value(node.right)
            if isinstance(a, int) and isinstance(b, int):
                q = abs(a) // abs(b)  # C division truncates toward zero
                return q if (a >= 0) == (b >= 0) else -q
            return a / b
        raise HeaderError(f"cannot evaluate {expression!r}")

    return value(tree.body)


# --------------------------------------------------------------------------------------
# Types
# --------------------------------------------------------------------------------------

class Types:
    """The C type names known so far (builtins, typedefs, struct/union/enum tags) and their
    ctypes spelling in the generated module. `declare(name)` is called when a struct or
    union is referred to before its class has been written (a pointer to a record defined
    later, or to itself)."""

    def __init__(self, declare):
        self.names = dict(BUILTIN_TYPES)
        self.tags = {}            # "struct ndi_array" -> "ndi_array"
        self.records = set()      # Python names of structs and unions
        self.written = set()      # records whose class statement has been written
        self.declare = declare

    def spell(self, ctype, context):
        """ctypes expression for a C type such as `const struct ndi_array *` or `double`;
        None for `void`."""
        stars = ctype.count("*")
        words = [w for w in ctype.replace("*", " ").split() if w not in QUALIFIERS]
        if words and words[0] in ("struct", "union", "enum"):
            key = " ".join(words[:2])
            if key not in self.tags:
                raise HeaderError(f"unknown type {key!r} in {context}")
            base = self.tags[key]
            words = words[2:]
        else:
            name = " ".join(words)
            if name == "void":
                base = None
            elif name in self.names:
                base = self.names[name]
            else:
                raise HeaderError(f"unknown C type {name!r} in {context}")
            words = []
        if words:
            raise HeaderError(f"cannot read type {ctype!r} in {context}")
        if base in self.records and base not in self.written:
            self.declare(base)
        if base is None:  # void
            if stars == 0:
                return None
            base, stars = "ctypes.c_void_p", stars - 1
        elif base == "ctypes.c_char" and stars:
            base, stars = "ctypes.c_char_p", stars - 1
        for _ in range(stars):
            base = f"ctypes.POINTER({base})"
        return base


def split_top(text, separator=","):
    """Splits at `separator` outside parentheses and braces."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        elif c == separator and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    tail = text[start:].strip()
    if tail:
        parts.append(tail)
    return parts


FUNCTION_POINTER = re.compile(r"^(?P<ret>.+?)\(\s*\*\s*(?P<name>%s)?\s*\)\s*\((?P<params>.*)\)$"
                              % IDENT)


def declarator(text, types, constants, context, is_field=False):
    """(name or None, ctypes spelling) of a parameter or field declaration: `T name`,
    `T name[N]...`, an unnamed `T`, or an inline function pointer `R (*name)(params)`."""
    m = FUNCTION_POINTER.match(text)
    if m:
        spelling = cfunctype(m.group("ret"), m.group("params"), types, constants, context)
        return m.group("name"), spelling
    m = re.match(r"^(?P<type>.*?)\s*\b(?P<name>%s)\s*(?P<dims>(\[[^\]]*\]\s*)*)$" % IDENT, text)
    name, ctype, dims = None, text, []
    if m:
        words = [w for w in m.group("type").replace("*", " ").split() if w not in QUALIFIERS]
        # No name if the last word belongs to the type: `unsigned int`, `struct x`, `T`.
        unnamed = (not words or words[-1] in ("struct", "union", "enum")
                   or ("*" not in m.group("type")
                       and " ".join(words + [m.group("name")]) in BUILTIN_TYPES))
        if not unnamed:
            name, ctype = m.group("name"), m.group("type")
            dims = re.findall(r"\[([^\]]*)\]", m.group("dims"))
    spelling = types.spell(ctype, context)
    sizes = [evaluate(d, constants) if d.strip() else None for d in dims]
    if sizes and not is_field:  # an array parameter is a pointer to its first element
        inner = sizes[1:]
        for size in reversed(inner):
            spelling = f"({spelling} * {size})"
        return name, f"ctypes.POINTER({spelling})"
    for size in reversed(sizes):
        if size is None:
            raise HeaderError(f"array member without a size in {context}")
        spelling = f"({spelling} * {size})"
    return name, spelling


def parameters(params, types, constants, context):
    """[(name, spelling)] of a parameter list (`void` or empty: no parameters)."""
    params = params.strip()
    if params in ("", "void"):
        return []
    result = []
    for p in split_top(params):
        if p == "...":
            raise HeaderError(f"variadic functions are not supported ({context})")
        name, spelling = declarator(p, types, constants, context)
        if spelling is None:
            raise HeaderError(f"void parameter in {context}")
        result.append((name, spelling))
    return result


def cfunctype(ret, params, types, constants, context):
    """A `ctypes.CFUNCTYPE(...)` expression for a function pointer type, on one line."""
    args = [types.spell(ret.strip(), context) or "None"]
    args += [s for _, s in parameters(params, types, constants, context)]
    return f"ctypes.CFUNCTYPE({', '.join(args)})"


# --------------------------------------------------------------------------------------
# Declarations -> Python source
# --------------------------------------------------------------------------------------

def comment(doc, indent=""):
    return [f"{indent}# {line}".rstrip() for line in doc]


def docstring(doc, indent="    "):
    if not doc:
        return []
    text = [line.replace("\\", "\\\\").replace('"""', '\\"\\"\\"') for line in doc]
    if len(text) == 1 and len(indent) + len(text[0]) + 6 <= 99:
        return [f'{indent}"""{text[0]}"""']
    return [f'{indent}"""{text[0]}'] + [f"{indent}{line}" for line in text[1:]] + [
        f'{indent}"""']


def listing(items, indent):
    """Lines of a bracketed Python list, one `(value, comment)` per line."""
    out = []
    for value, note in items:
        line = f"{indent}    {value},"
        if note:
            line += f"  # {note}"
        out.append(line)
    return out


RECORD_BODY = re.compile(r"^(typedef\s+)?(struct|union|enum)\s*(%s)?\s*\{(.*)\}\s*(%s)?$"
                         % (IDENT, IDENT), re.S)
RECORD_NAME = re.compile(r"^(typedef\s+)?(struct|union)\s+(%s)(?:\s+(%s))?$" % (IDENT, IDENT))


class Generator:
    """Translates the header's items in order into three blocks of Python lines:
    constants, types, functions."""

    def __init__(self, items):
        self.items = items
        self.types = Types(self.declare)
        self.constants = {}
        self.constant_lines = []
        self.type_lines = []
        self.function_lines = []
        self.record_docs = {}
        self.record_kinds = {}
        # Every struct and union of the header is known from the start, so that a pointer
        # to one defined further down (or to itself) can be declared ahead of its fields.
        self.defined = set()
        for doc, kind, text in items:
            m = RECORD_BODY.match(text) if kind == "decl" else None
            if m and m.group(2) != "enum":
                name = self.register_record(m.group(2), m.group(3), m.group(5))
                self.defined.add(name)
                self.record_docs[name] = doc

    def run(self):
        for doc, kind, text in self.items:
            self.item(doc, kind, text)
        return self

    # ---- items

    def item(self, doc, kind, text):
        if kind == "define":
            return self.define(doc, text)
        m = RECORD_BODY.match(text)
        if m and (m.group(1) is None) != (m.group(5) is None):
            raise HeaderError(f"unsupported declaration: {text!r}")
        if m and m.group(2) == "enum":
            return self.enum(doc, m.group(3), m.group(4), m.group(5))
        if m:
            return self.record(m.group(2), m.group(5) or m.group(3), m.group(4))
        m = RECORD_NAME.match(text)
        if m and (m.group(1) is None) == (m.group(4) is None):
            return self.declare_record(doc, m.group(2), m.group(3), m.group(4))
        m = re.match(r"^typedef\s+(.+)$", text)
        if m:
            return self.typedef(doc, m.group(1))
        m = re.match(r"^(?:static\s+)?const\s+(.+?)\s+(%s)\s*=\s*(.+)$" % IDENT, text)
        if m:
            return self.constant(doc, m.group(2), m.group(3))
        m = re.match(r"^(?:extern\s+)?(.+?)\b(%s)\s*\((.*)\)$" % IDENT, text, re.S)
        if m:
            return self.function(doc, m.group(1), m.group(2), m.group(3))
        raise HeaderError(f"unsupported declaration: {text!r}")

    def define(self, doc, text):
        m = re.match(r"^#\s*define\s+(%s)(\(.*?\))?\s*(.*)$" % IDENT, text)
        if not m:
            raise HeaderError(f"unsupported preprocessor line: {text!r}")
        name, macro_args, value = m.groups()
        if macro_args:
            raise HeaderError(f"function-like macro {name} is not supported")
        if value:  # else a guard or flag macro without a value
            self.constant(doc, name, value)

    def constant(self, doc, name, value):
        number = evaluate(value, self.constants)
        self.constants[name] = number
        self.constant_lines += comment(doc) + [f"{name} = {number!r}", ""]

    def enum(self, doc, tag, body, typedef_name):
        """Enumerators become constants; the enum type is a C int."""
        next_value = 0
        for enumerator in split_top(body):
            m = re.match(r"^(%s)\s*(?:=\s*(.+))?$" % IDENT, enumerator, re.S)
            if not m:
                raise HeaderError(f"cannot read enumerator {enumerator!r}")
            if m.group(2) is not None:
                next_value = evaluate(m.group(2), self.constants)
            self.constant([], m.group(1), str(next_value))
            next_value += 1
        if tag:
            self.types.tags[f"enum {tag}"] = typedef_name or "ctypes.c_int"
        if typedef_name:
            self.types.names[typedef_name] = typedef_name
            self.type_lines += comment(doc) + [f"{typedef_name} = ctypes.c_int", ""]

    def register_record(self, kind, tag, name):
        name = name or tag
        if tag:
            self.types.tags[f"{kind} {tag}"] = name
        self.types.names[name] = name
        self.types.records.add(name)
        self.record_kinds[name] = kind
        return name

    def class_lines(self, name, doc):
        base = "ctypes.Union" if self.record_kinds[name] == "union" else "ctypes.Structure"
        if name not in self.defined:
            doc = doc or ["Opaque: used through pointers only."]
        return ["", "", f"class {name}({base}):"] + docstring(
            doc or ["(no description in the header)"])

    def declare(self, name):
        """Writes the class statement of a record referred to before its fields."""
        self.types.written.add(name)
        self.type_lines += self.class_lines(name, self.record_docs.get(name)) + ["", ""]

    def declare_record(self, doc, kind, tag, typedef_name):
        """`typedef struct tag name;` or `struct tag;`: an alias of a record, or an opaque
        record (its class is written when first used, or here if never defined)."""
        name = typedef_name or tag
        known = self.types.tags.get(f"{kind} {tag}")
        if known is not None and known != name:
            self.types.names[name] = known
            self.type_lines += comment(doc) + [f"{name} = {known}", ""]
            return
        self.register_record(kind, tag, name)
        self.record_docs.setdefault(name, doc)
        if name not in self.defined and name not in self.types.written:
            self.declare(name)

    def record(self, kind, name, body):
        """A struct or union definition: its class with `_fields_` (or only `_fields_`
        when the class was declared earlier)."""
        context = f"{kind} {name}"
        items = []
        for member in split_top(body, ";"):
            field, spelling = declarator(member, self.types, self.constants, context,
                                            is_field=True)
            if field is None or spelling is None:
                raise HeaderError(f"cannot read member {member!r} of {context}")
            items.append((f'("{field}", {spelling})', None))
        if name in self.types.written:
            self.type_lines += [f"{name}._fields_ = ["] + listing(items, "") + ["]", ""]
        else:
            self.types.written.add(name)
            self.type_lines += self.class_lines(name, self.record_docs.get(name)) + [
                "", "    _fields_ = ["] + listing(items, "    ") + ["    ]", "", ""]

    def typedef(self, doc, text):
        m = FUNCTION_POINTER.match(text)
        if m and m.group("name"):
            name = m.group("name")
            spelling = cfunctype(m.group("ret"), m.group("params"), self.types,
                                 self.constants, f"typedef {name}")
            self.types.names[name] = name
            self.type_lines += comment(doc) + wrapped(f"{name} = ", spelling) + [""]
            return
        m = re.match(r"^(.+?)\s*\b(%s)$" % IDENT, text)
        if not m:
            raise HeaderError(f"unsupported typedef: {text!r}")
        name = m.group(2)
        spelling = self.types.spell(m.group(1), f"typedef {name}")
        if spelling is None:
            raise HeaderError(f"typedef of void: {text!r}")
        self.types.names[name] = name
        self.type_lines += comment(doc) + [f"{name} = {spelling}", ""]

    def function(self, doc, ret, name, params):
        context = f"function {name}"
        restype = self.types.spell(ret.strip(), context) or "None"
        args = parameters(params, self.types, self.constants, context)
        lines = comment(doc)
        if not args:
            lines += wrapped(f"{name} = ", f'_function("{name}", {restype}, [])')
        else:
            lines += [f"{name} = _function(", f'    "{name}",', f"    {restype},", "    ["]
            lines += listing([(spelling, pname) for pname, spelling in args], "    ")
            lines += ["    ],", ")"]
        self.function_lines += lines + [""]


def wrapped(prefix, expression):
    """`prefix + expression` on one line, or broken after the call's opening parenthesis
    with one argument per line if longer than 99 characters."""
    line = prefix + expression
    if len(line) <= 99:
        return [line]
    head, _, rest = expression.partition("(")
    return [f"{prefix}{head}("] + [f"    {part}," for part in split_top(rest[:-1])] + [")"]


# --------------------------------------------------------------------------------------
# The module
# --------------------------------------------------------------------------------------

PROLOGUE = '''\
# generated by scripts/gen-python-capi.py from include/ndimage.h; do not edit.
"""The C API of libndimage for ctypes, generated from include/ndimage.h: every constant,
type, struct, callback type and function of the header, and the loaded library.

Regenerate with `python3 scripts/gen-python-capi.py` after the header changes;
`cargo test --test python_capi` fails while this file is stale.

The library is looked up, in this order, at:

1. the path in the environment variable ``NDIMAGE_LIBRARY``;
2. a library bundled in this package's directory (``libndimage.so``, ``.dylib``, or
   ``ndimage.dll`` / ``libndimage.dll``);
3. ``<repo>/target/release``, then ``<repo>/target/debug``, where ``<repo>`` is two levels
   above this package (a source checkout);
4. ``ctypes.util.find_library("ndimage")``.

It is loaded with :class:`ctypes.PyDLL`, so the GIL stays held during every call: C
callbacks may use the Python C API, and a Python exception a C callback leaves pending is
raised when the call returns. A function of the header that the loaded library lacks (an
older library) raises :class:`LibraryError` when called.
"""

import ctypes
import ctypes.util
import importlib.machinery
import os
import sys

'''

LOADING = '''\

# --------------------------------------------------------------------------------------
# The library
# --------------------------------------------------------------------------------------

class LibraryError(OSError):
    """The libndimage shared library could not be found or loaded, or lacks a function."""


def _library_file_names(bundled=False):
    """The library's file names; in the package directory also the names a wheel gives it
    (the platform's extension-module suffixes, e.g. libndimage.cpython-311-x86_64-linux-gnu.so)."""
    if sys.platform == "darwin":
        names = ["libndimage.dylib"]
    elif sys.platform.startswith("win"):
        names = ["ndimage.dll", "libndimage.dll"]
    else:
        names = ["libndimage.so"]
    if bundled:
        names += ["libndimage" + suffix for suffix in importlib.machinery.EXTENSION_SUFFIXES]
    return names


def _find_library():
    env = os.environ.get("NDIMAGE_LIBRARY")
    if env:
        return env
    package = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(package))
    directories = [package] + [os.path.join(repo, "target", p) for p in ("release", "debug")]
    for directory in directories:
        for name in _library_file_names(bundled=directory == package):
            candidate = os.path.join(directory, name)
            if os.path.exists(candidate):
                return candidate
    found = ctypes.util.find_library("ndimage")
    if found:
        return found
    raise LibraryError(
        "libndimage not found: set NDIMAGE_LIBRARY, or build it with "
        "`cargo build --release` in the repository"
    )


library_path = _find_library()
try:
    _lib = ctypes.PyDLL(library_path)
except OSError as exc:  # pragma: no cover - depends on the environment
    raise LibraryError(f"cannot load libndimage from {library_path!r}: {exc}") from exc


def _function(name, restype, argtypes):
    """The library's function `name` with its prototype, or, if the library lacks it (an
    older library), a function with the same `restype` and `argtypes` attributes that
    raises LibraryError."""
    try:
        function = getattr(_lib, name)
    except AttributeError:
        def function(*args):
            raise LibraryError(f"{library_path} has no {name} (older than the header)")

        function.__name__ = function.__qualname__ = name
    function.restype = restype
    function.argtypes = argtypes
    return function

'''


def section(title):
    return ["", "", "# " + "-" * 86, f"# {title}", "# " + "-" * 86, ""]


def generate(header_text):
    """The text of _capi.py for a header."""
    gen = Generator(read_items(header_text)).run()
    out = [PROLOGUE.rstrip("\n"), ""]
    out += section("Constants") + gen.constant_lines
    out += section("Types") + gen.type_lines
    out += [LOADING.rstrip("\n")]
    out += section("Functions") + gen.function_lines
    return re.sub(r"\n{4,}", "\n\n\n", "\n".join(out)).rstrip("\n") + "\n"


def main():
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--stdout", action="store_true", help="print instead of writing")
    parser.add_argument("--header", default=HEADER, help="the C header (include/ndimage.h)")
    parser.add_argument("--output", default=OUTPUT, help="the module to write")
    args = parser.parse_args()
    with open(args.header, encoding="utf-8") as f:
        try:
            text = generate(f.read())
        except HeaderError as exc:
            sys.exit(f"gen-python-capi: {args.header}: {exc}")
    if args.stdout:
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


if __name__ == "__main__":
    main()
