"""``python -m tests.owm.owm_engine``: record OWM's readings of the corpus."""

from tests.owm.owm_engine import RECORDED, REPO, record_readings

record_readings()
print(f"wrote {RECORDED.relative_to(REPO)}")
