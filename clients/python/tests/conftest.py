import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from harness import TapinServer, start_tapin  # noqa: E402


@pytest.fixture(scope="module")
def tapin() -> TapinServer:
    server = start_tapin()
    yield server
    server.stop()
