# The Autobahn TestSuite's fuzzing server (what `wstest -m fuzzingserver` starts), run by
# Jython from the autobahntestsuite-maven-plugin's jar for AutobahnFuzzingServerTest. wstest
# itself listens on every interface and opens a web port as well; this listens on the loopback
# only, on a free port that it prints, and has no web port.
#
# Arguments: the report directory, the cases (comma-separated, wstest's patterns such as 1.*).
import sys

from twisted.internet import reactor
from autobahn.websocket import listenWS
from autobahntestsuite.fuzzing import FuzzingServerFactory

spec = {
    "url": "ws://127.0.0.1:0",
    # Strict: a case whose connection ends without the closing handshake fails.
    "options": {"failByDrop": True},
    "outdir": sys.argv[1],
    "cases": sys.argv[2].split(","),
    "exclude-cases": [],
    "exclude-agent-cases": {},
}
factory = FuzzingServerFactory(spec)
port = listenWS(factory, None, 50, "127.0.0.1").getHost().port
factory.port = factory.externalPort = port  # the Host header's port must match it
print "LISTENING %d" % port
sys.stdout.flush()
reactor.run()
