"""cleartext-protocols: network protocols that send passwords and data unencrypted.

**What it finds.** DW314: Telnet and plain FTP clients: `telnetlib.Telnet(...)`,
`telnetlib3.open_connection(...)`, `ftplib.FTP(...)` (not `FTP_TLS`). DW315: SNMP without
encryption, in pysnmp: `CommunityData(...)` (SNMP v1 and v2c, whose community string is the only
password and travels in clear text) and `UsmUserData(...)` (SNMP v3) without a privacy key, or
with `usmNoPrivProtocol`.

**Why it matters in assistant-written code.** Asked to "log in to the switch and run a command" or
"upload the report to the FTP server", assistants reach for the modules the standard library
happens to have, `telnetlib` and `ftplib.FTP`, and for the SNMP examples of old documentation
(`CommunityData('public')`). All of them put the password on the wire where anyone on the path
reads it, and let that person change the data in flight.

**Severity.** Medium: the risk depends on the network between the two ends, which the code does
not show.

**Bad**

```python
ftp = ftplib.FTP("ftp.example.com", "deploy", password)
auth = CommunityData("public", mpModel=1)
```

**Good**

```python
ftp = ftplib.FTP_TLS("ftp.example.com", "deploy", password)
ftp.prot_p()
auth = UsmUserData("monitor", auth_key, priv_key, authProtocol=usmHMACSHAAuthProtocol,
                   privProtocol=usmAesCfb128Protocol)
```

**Not flagged.** `ftplib.FTP_TLS`; `UsmUserData` given a privacy key (positional or `privKey=`)
and no `usmNoPrivProtocol`; a privacy key that is computed (it may be None: we cannot tell);
classes of the same names we cannot resolve; importing the modules (the use is what is reported).
Anonymous FTP downloads of public files are flagged too: their content can still be changed on
the way, so check a signature or suppress with a reason.

**Fix.** None automatic. Use SSH (paramiko, asyncssh) instead of Telnet; SFTP or `FTP_TLS` with
`prot_p()` instead of FTP; SNMP v3 with authentication and privacy (authPriv).

**References.** CWE-319 (cleartext transmission of sensitive information); bandit B312, B321,
B508, B509 (and the import checks B401, B402); ruff S312, S321, S508, S509.
"""

from __future__ import annotations

from typing import Optional

from hooks.engine.lazy import cst
from hooks.engine.tree import spreads_keywords
from hooks.engine.rule import Bad, Confidence, Ok, Rule, Severity

# qualified name -> what it sends in clear text
CLEARTEXT_CLIENTS = {
    "telnetlib.Telnet": "Telnet sends the login and every command",
    "telnetlib3.open_connection": "Telnet sends the login and every command",
    "ftplib.FTP": "FTP sends the password and every file",
}
PYSNMP = "pysnmp."
NO_PRIVACY = "usmNoPrivProtocol"


def _is_none(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Name) and value.value == "None"


def _last_name(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return node.value if isinstance(node, cst.Name) else ""


class CleartextProtocol(Rule):
    code = "DW314"
    name = "cleartext-protocol"
    summary = "A Telnet or plain FTP client sends passwords and data unencrypted."
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (319,)
    message = "`{func}`: {what} in clear text, readable and changeable on the way"
    hint = "use SSH (paramiko, asyncssh) for Telnet; SFTP or ftplib.FTP_TLS with prot_p() for FTP"
    triggers = ("telnetlib", "telnetlib3", "ftplib")
    examples = (
        Bad(
            "import telnetlib\n\n"
            "def reboot(host, user, password):\n"
            "    tn = telnetlib.Telnet(host, 23, timeout=10)\n"
            "    tn.read_until(b'login: ')\n"
            "    tn.write(user.encode() + b'\\n')\n",
            ((4, 10),),
        ),
        Bad(
            "from ftplib import FTP\n\n"
            "def upload(path, password):\n"
            "    with FTP('ftp.example.com', 'deploy', password) as ftp:\n"
            "        ftp.storbinary('STOR report.csv', open(path, 'rb'))\n",
            ((4, 10),),
        ),
        Bad(
            "import ftplib\nftp = ftplib.FTP('ftp.debian.org')\nftp.login()\n",
            ((2, 7),),
            why="anonymous, but the files can still be changed on the way",
        ),
        Bad(
            "import telnetlib3\n\n"
            "async def shell(host):\n"
            "    reader, writer = await telnetlib3.open_connection(host, 23)\n",
            ((4, 28),),
        ),
        Ok(
            "import ftplib\n\n"
            "def upload(host, user, password):\n"
            "    ftp = ftplib.FTP_TLS(host, user, password)\n"
            "    ftp.prot_p()\n",
            why="FTP over TLS",
        ),
        Ok("import ftplib\nimport telnetlib\n", why="an import alone is not a use"),
        Ok("from app.clients import FTP\nftp = FTP(host)\n", why="a class of the same name"),
        Ok(
            "import ftplib\n\ndef f(ftplib):\n    return ftplib.FTP(host)\n",
            why="shadowed by a parameter",
        ),
        Ok("HELP = 'telnetlib.Telnet(host) sends passwords in clear'\n", why="text in a string"),
        Ok(
            "import ftplib\n\ndef is_ftp_error(exc):\n"
            "    return isinstance(exc, ftplib.all_errors)\n",
            why="the module used for something else",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func in CLEARTEXT_CLIENTS:
            self.report(node, func=func, what=CLEARTEXT_CLIENTS[func])


class SnmpWithoutEncryption(Rule):
    code = "DW315"
    name = "snmp-without-encryption"
    summary = "SNMP is set up without encryption (v1/v2c communities, or v3 without privacy)."
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    cwe = (319,)
    message = "`{func}` {what}"
    hint = "use UsmUserData with an auth key and a priv key (SNMP v3 authPriv)"
    triggers = ("CommunityData", "UsmUserData")
    examples = (
        Bad(
            "from pysnmp.hlapi import CommunityData\nauth = CommunityData('public', mpModel=0)\n",
            ((2, 8),),
        ),
        Bad(
            "from pysnmp import hlapi\n\n"
            "def poll(host, community):\n"
            "    return hlapi.getCmd(hlapi.SnmpEngine(), hlapi.CommunityData(community),\n"
            "                        hlapi.UdpTransportTarget((host, 161)))\n",
            ((4, 45),),
        ),
        Bad(
            "from pysnmp.hlapi import UsmUserData\nuser = UsmUserData('monitor')\n",
            ((2, 8),),
            why="noAuthNoPriv",
        ),
        Bad(
            "from pysnmp.hlapi import UsmUserData\nuser = UsmUserData('monitor', auth_key)\n",
            ((2, 8),),
            why="authNoPriv: authenticated, but the data is readable",
        ),
        Bad(
            "from pysnmp.hlapi import UsmUserData, usmNoPrivProtocol\n"
            "user = UsmUserData('monitor', auth_key, priv_key, privProtocol=usmNoPrivProtocol)\n",
            ((2, 8),),
        ),
        Ok(
            "from pysnmp.hlapi import UsmUserData, usmAesCfb128Protocol\n"
            "user = UsmUserData('monitor', auth_key, priv_key,"
            " privProtocol=usmAesCfb128Protocol)\n",
            why="authPriv",
        ),
        Ok(
            "from pysnmp.hlapi import UsmUserData\n"
            "user = UsmUserData('monitor', authKey=auth_key, privKey=priv_key)\n",
        ),
        Ok(
            "from pysnmp.hlapi import UsmUserData\n"
            "def user(name, **keys):\n    return UsmUserData(name, **keys)\n",
            why="the keys may be in the keyword arguments",
        ),
        Ok("from app.snmp import CommunityData\nauth = CommunityData('public')\n"),
        Ok("NOTE = 'CommunityData(\"public\") is SNMP v2c'\n", why="text in a string"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.resolve(node.func)
        if func is None or not func.startswith(PYSNMP):
            return
        kind = func.rsplit(".", 1)[1]
        if kind == "CommunityData":
            what = "is SNMP v1/v2c: the community string, its only password, travels in clear"
            self.report(node, func=kind, what=what)
        elif kind == "UsmUserData" and self._without_privacy(node):
            self.report(node, func=kind, what="is SNMP v3 without a privacy key: data in clear")

    def _without_privacy(self, node: cst.Call) -> bool:
        if spreads_keywords(node):
            return False
        protocol = self.ctx.argument(node, None, "privProtocol")
        if protocol is not None and _last_name(protocol.value) == NO_PRIVACY:
            return True
        key: Optional[cst.Arg] = self.ctx.argument(node, 2, "privKey")
        return key is None or _is_none(key.value)
