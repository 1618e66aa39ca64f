"""xml-entities: parsing XML with parsers that expand entities or fetch external ones.

**What it finds.** DW210: parsing with the standard library (`xml.etree.ElementTree` and
`cElementTree` `parse` / `fromstring` / `XML` / `iterparse` / `XMLParser` / ...,
`xml.dom.minidom`, `xml.dom.pulldom`, `xml.sax`) at medium; lxml (`lxml.etree.parse` /
`fromstring` / `XML` without a parser, `XMLParser()` without `resolve_entities=False`) at medium;
lxml parsers that resolve external entities: `resolve_entities=True`, `no_network=False`, and
`iterparse` / `ETCompatXMLParser` left at their default (they resolve external entities before
lxml 6.1) at high; turning on `feature_external_ges` / `feature_external_pes` in a SAX parser
(high); an `xmlrpc.server.SimpleXMLRPCServer` / `DocXMLRPCServer` (low: it parses every
client's request with the standard library).

**Why it matters in assistant-written code.** `ET.fromstring(request.data)` is how assistants
read an uploaded XML document. With a parser that resolves external entities,
`<!ENTITY x SYSTEM "file:///etc/passwd">` reads local files or reaches internal URLs (XXE,
CWE-611); with any parser that expands entities, ten nested entity definitions become a billion
copies (CWE-776). The standard library's expat does not resolve external entities by default
since Python 3.7.1, so stdlib findings are about expansion: expat 2.4.1 and later limits it,
but Python may use an older system expat (check `pyexpat.EXPAT_VERSION`), and `defusedxml`
refuses entity declarations outright. lxml resolved external entities by default before 5.0.

**Bad**

```python
root = ET.fromstring(request.data)
parser = etree.XMLParser(resolve_entities=True)
```

**Good**

```python
import defusedxml.ElementTree as ET
root = ET.fromstring(request.data)
parser = etree.XMLParser(resolve_entities=False, no_network=True)
```

**Not flagged.** `defusedxml.*`; building and writing XML (`ET.tostring`, `ET.Element`,
`SubElement`, `ET.dump`); parsing a literal string or a literal file name (the program's own
data: `ET.fromstring("<config/>")`, `ET.parse("settings.xml")`); a parse call given an explicit
`parser=` (the parser's own construction is what we check, where we can see it); lxml parsers
with `resolve_entities=False` or `"internal"` (libxml2 limits internal entity expansion unless
`huge_tree=True`) and `no_network` left on; a `resolve_entities=` we cannot read; the XML-RPC
client `xmlrpc.client.ServerProxy` (it parses the answers of a server you chose);
`json.loads`; methods of unknown objects (`tree.parse(...)`). A module that calls
`defusedxml.defuse_stdlib()` is still flagged: suppress it there with a reason.

**Fix.** Unsafe (only with `--unsafe-fixes`): the standard library's `parse`, `fromstring`,
`XML` and `iterparse` of `xml.etree`, `parse` / `parseString` of `xml.dom.minidom`,
`xml.dom.pulldom` and `xml.sax` become the `defusedxml` function of the same name, and the
`defusedxml` module is imported. It changes behaviour twice: a document with entity
declarations is refused, and the code now needs the `defusedxml` package installed. Otherwise,
use `defusedxml` (`defusedxml.ElementTree`, `defusedxml.minidom`,
`defusedxml.sax`, `defusedxml.lxml` where lxml is needed); for lxml pass
`etree.XMLParser(resolve_entities=False, no_network=True)` to every parse.

**References.** CWE-611 (XXE), CWE-776 (entity expansion); bandit B313-B320, B405-B411;
ruff S313-S320, S405-S411.
"""

from __future__ import annotations

from typing import Dict, Optional

from hooks.engine.lazy import cst
from hooks.engine import edits
from hooks.engine.rule import Bad, Confidence, Fix, FixSafety, Ok, Rule, Severity

ETREE_MODULES = ("xml.etree.ElementTree", "xml.etree.cElementTree")
# function -> position of its `parser` argument (None: it has none); argument 0 is the input
STDLIB_PARSE: Dict[str, Optional[int]] = {
    **{f"{m}.{f}": 1 for m in ETREE_MODULES for f in ("parse", "fromstring", "XML", "XMLID")},
    **{f"{m}.fromstringlist": 1 for m in ETREE_MODULES},
    **{f"{m}.iterparse": 2 for m in ETREE_MODULES},
    **{f"xml.dom.{m}.{f}": 1 for m in ("minidom", "pulldom") for f in ("parse", "parseString")},
    "xml.sax.parse": None,
    "xml.sax.parseString": None,
}
STDLIB_PARSERS = frozenset(
    {
        *(f"{m}.{c}" for m in ETREE_MODULES for c in ("XMLParser", "XMLPullParser")),
        "xml.sax.make_parser",
        "xml.sax.expatreader.create_parser",
        "xml.dom.expatbuilder.parse",
        "xml.dom.expatbuilder.parseString",
    }
)
# standard library parse function -> the defusedxml module with the same function
DEFUSED = {
    **{f"{m}.{f}": "defusedxml.ElementTree" for m in ETREE_MODULES
       for f in ("parse", "fromstring", "XML", "iterparse")},
    **{f"xml.dom.{m}.{f}": f"defusedxml.{m}" for m in ("minidom", "pulldom")
       for f in ("parse", "parseString")},
    "xml.sax.parse": "defusedxml.sax",
    "xml.sax.parseString": "defusedxml.sax",
}  # fmt: skip
ELEMENT_TREES = frozenset(f"{m}.ElementTree" for m in ETREE_MODULES)  # parses `file=`
LXML_MODULES = ("lxml.etree", "lxml.objectify")
LXML_PARSE: Dict[str, Optional[int]] = {
    f"{m}.{f}": 1
    for m in LXML_MODULES
    for f in ("parse", "fromstring", "XML", "XMLID", "fromstringlist")
}
# lxml parser constructors -> whether their default resolves external entities today
LXML_PARSERS = {
    "lxml.etree.XMLParser": False,
    "lxml.etree.XMLPullParser": False,
    "lxml.objectify.makeparser": False,
    "lxml.etree.ETCompatXMLParser": True,
    "lxml.etree.iterparse": True,
}
XMLRPC_SERVERS = frozenset(
    {
        "xmlrpc.server.SimpleXMLRPCServer",
        "xmlrpc.server.DocXMLRPCServer",
        "SimpleXMLRPCServer.SimpleXMLRPCServer",
        "DocXMLRPCServer.DocXMLRPCServer",
    }
)
EXTERNAL_FEATURES = frozenset(
    {
        "xml.sax.handler.feature_external_ges",
        "xml.sax.handler.feature_external_pes",
        "http://xml.org/sax/features/external-general-entities",
        "http://xml.org/sax/features/external-parameter-entities",
    }
)
SAFE_RESOLVE = frozenset({"internal"})

STDLIB_WHY = "parses with expat, which expands entities (billion laughs) on untrusted input"
LXML_DEFAULT_WHY = "uses lxml's default parser, which resolves external entities before lxml 5.0"


class XmlExternalEntities(Rule):
    code = "DW210"
    name = "xml-external-entities"
    summary = "XML is parsed with a parser that expands entities or resolves external ones."
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    cwe = (611, 776)
    message = "`{func}` {why}"
    hint = "parse untrusted XML with defusedxml; for lxml use XMLParser(resolve_entities=False)"
    triggers = ("xml", "lxml", "xmlrpc", "SimpleXMLRPCServer", "DocXMLRPCServer")
    fix = FixSafety.UNSAFE
    examples = (
        Bad(
            "import xml.etree.ElementTree as ET\n\ndef import_feed(request):\n"
            "    root = ET.fromstring(request.body)\n    return [e.text for e in root]\n",
            ((4, 12),),
            severity=Severity.MEDIUM,
            fixed="import xml.etree.ElementTree as ET\nimport defusedxml.ElementTree\n\n"
            "def import_feed(request):\n"
            "    root = defusedxml.ElementTree.fromstring(request.body)\n"
            "    return [e.text for e in root]\n",
        ),
        Bad(
            "from xml.dom import minidom\n\ndef load(path):\n"
            "    return minidom.parse(path).documentElement\n",
            ((4, 12),),
            fixed="from xml.dom import minidom\nimport defusedxml.minidom\n\n"
            "def load(path):\n"
            "    return defusedxml.minidom.parse(path).documentElement\n",
        ),
        Bad(
            "import xml.sax\n\nparser = xml.sax.make_parser()\nparser.setContentHandler(h)\n",
            ((3, 10),),
        ),
        Bad(
            "from xml.etree.cElementTree import iterparse\n\n"
            "for event, elem in iterparse(upload):\n    handle(elem)\n",
            ((3, 20),),
            fixed="from xml.etree.cElementTree import iterparse\n"
            "import defusedxml.ElementTree\n\n"
            "for event, elem in defusedxml.ElementTree.iterparse(upload):\n"
            "    handle(elem)\n",
        ),
        Bad(
            "from lxml import etree\n\n"
            "parser = etree.XMLParser(resolve_entities=True)\n"
            "tree = etree.parse(stream, parser)\n",
            ((3, 10),),
            severity=Severity.HIGH,
            why="the parse call with parser= is not flagged again",
        ),
        Bad(
            "from lxml import etree\n\n"
            "parser = etree.XMLParser(resolve_entities=False, no_network=False)\n",
            ((3, 10),),
            severity=Severity.HIGH,
        ),
        Bad(
            "from lxml import etree\n\nfor _, el in etree.iterparse(path, events=('end',)):\n"
            "    rows.append(el.attrib)\n",
            ((3, 14),),
            severity=Severity.HIGH,
            why="lxml's iterparse resolves external entities by default before 6.1",
        ),
        Bad(
            "import lxml.etree\n\ndoc = lxml.etree.fromstring(payload)\n",
            ((3, 7),),
            severity=Severity.MEDIUM,
        ),
        Bad(
            "from xml.sax import make_parser\nfrom xml.sax.handler import feature_external_ges\n"
            "\np = make_parser()\np.setFeature(feature_external_ges, True)\n",
            ((4, 5), (5, 1)),
        ),
        Bad(
            "from xmlrpc.server import SimpleXMLRPCServer\n\n"
            "server = SimpleXMLRPCServer(('0.0.0.0', 8000))\n",
            ((3, 10),),
            severity=Severity.LOW,
        ),
        Ok("import defusedxml.ElementTree as ET\n\nroot = ET.fromstring(request.body)\n"),
        Ok("from defusedxml.minidom import parseString\n\ndoc = parseString(payload)\n"),
        Ok(
            "import xml.etree.ElementTree as ET\n\nroot = ET.Element('feed')\n"
            "ET.SubElement(root, 'title').text = title\nbody = ET.tostring(root)\n",
            why="building XML, not parsing it",
        ),
        Ok("import json\n\ndata = json.loads(request.body)\n"),
        Ok(
            "import xml.etree.ElementTree as ET\n\n"
            "DEFAULTS = ET.fromstring('<config><retries>3</retries></config>')\n",
            why="a literal document",
        ),
        Ok(
            "from lxml import etree\n\n"
            "parser = etree.XMLParser(resolve_entities=False, no_network=True)\n"
            "tree = etree.parse(upload, parser=parser)\n",
        ),
        Ok("from lxml import etree\n\nparser = etree.XMLParser(resolve_entities='internal')\n"),
        Ok(
            "from lxml import etree\n\n"
            "for _, el in etree.iterparse(path, resolve_entities=False):\n    handle(el)\n",
        ),
        Ok("def load(tree, path):\n    return tree.parse(path)\n", why="an unknown object"),
        Ok(
            "import xml.etree.ElementTree as ET\n\n"
            "def f(ET, data):\n    return ET.fromstring(data)\n",
            why="a parameter shadows the alias",
        ),
        Ok("import xmlrpc.client\n\nproxy = xmlrpc.client.ServerProxy(url)\n"),
        Ok("doc = 'xml.etree.ElementTree.fromstring(data)'\n", why="text in a string"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func is None:
            self._set_feature(node)
        elif func in STDLIB_PARSE or func in LXML_PARSE:
            position = STDLIB_PARSE[func] if func in STDLIB_PARSE else LXML_PARSE[func]
            if self._parser_given(node, position) or self._literal_input(node):
                return
            why = STDLIB_WHY if func in STDLIB_PARSE else LXML_DEFAULT_WHY
            self.report(node, func=func, why=why, fix=self._defused(func))
        elif func in STDLIB_PARSERS:
            self.report(node, func=func, why=STDLIB_WHY)
        elif func in ELEMENT_TREES:
            source = self.ctx.argument(node, 1, "file")
            if source is not None and not self.ctx.is_constant(source.value):
                self.report(node, func=func, why=STDLIB_WHY)
        elif func in LXML_PARSERS:
            self._lxml_parser(node, func, LXML_PARSERS[func])
        elif func in XMLRPC_SERVERS:
            why = "parses every client's XML with the standard library (entity expansion)"
            self.report(node, severity=Severity.LOW, func=func, why=why)

    def _defused(self, func: str) -> Optional[Fix]:
        """The same call into defusedxml, where the name `defusedxml` is free to import."""
        module = DEFUSED.get(func)
        if module is None or not self.ctx.free_for("defusedxml", "defusedxml"):
            return None
        callee = f"{module}.{func.rsplit('.', 1)[1]}"
        return Fix(lambda call: edits.with_callee(call, callee), ((module, None),))

    def _lxml_parser(self, node: cst.Call, func: str, resolves_by_default: bool) -> None:
        network = self.ctx.truthy_constant(self.ctx.argument(node, None, "no_network"))
        if network is False:
            why = "with no_network=False fetches external entities and DTDs over the network"
            self._report_high(node, func, why)
            return
        resolve = self.ctx.argument(node, None, "resolve_entities")
        if resolve is None:
            if resolves_by_default:
                why = "resolves external entities by default before lxml 6.1 (XXE)"
                self.report(node, severity=Severity.HIGH, func=func, why=why)
            else:
                why = "without resolve_entities=False resolves external entities before lxml 5.0"
                self.report(node, func=func, why=why)
            return
        value = resolve.value
        if isinstance(value, cst.SimpleString) and value.evaluated_value in SAFE_RESOLVE:
            return
        if self.ctx.truthy_constant(resolve) is True:
            why = "with resolve_entities=True reads files and URLs named by entities (XXE)"
            self._report_high(node, func, why)

    def _set_feature(self, node: cst.Call) -> None:
        """`parser.setFeature(feature_external_ges, True)` on any object: the feature is ours."""
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "setFeature"):
            return
        feature = self.ctx.argument(node, 0, "name")
        state = self.ctx.argument(node, 1, "state")
        if feature is None or self.ctx.truthy_constant(state) is not True:
            return
        value = feature.value
        name = value.evaluated_value if isinstance(value, cst.SimpleString) else None
        if name in EXTERNAL_FEATURES or self.ctx.resolve(value) in EXTERNAL_FEATURES:
            why = "turns on external entities in a SAX parser: it reads files and URLs (XXE)"
            self._report_high(node, "setFeature", why)

    def _report_high(self, node: cst.Call, func: str, why: str) -> None:
        """An explicit setting that resolves external entities: XXE, with no doubt about it."""
        self.report(node, severity=Severity.HIGH, confidence=Confidence.HIGH, func=func, why=why)

    def _parser_given(self, node: cst.Call, position: Optional[int]) -> bool:
        parser = self.ctx.argument(node, position, "parser")
        if parser is None:
            return False
        return not (isinstance(parser.value, cst.Name) and parser.value.value == "None")

    def _literal_input(self, node: cst.Call) -> bool:
        """Literal text or a literal file name: the program's own data."""
        source = node.args[0] if node.args and node.args[0].keyword is None else None
        return source is not None and not source.star and self.ctx.is_constant(source.value)
