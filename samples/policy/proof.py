"""V8 Proof: a live promotion counts only if its session had enough viewers (the video's
check at its 7th day is the promotion sweep's, samples.services.promotion)."""

from __future__ import annotations

from core.rules import rules
from samples import messages as msg
from shops.models import LiveSession


def live_session_viewers(session: LiveSession) -> int:
    """V8: the session's distinct viewers (独立观众数): the platform's figure
    (LiveSession.peak_viewers, set in the admin and by the demo), raised once per distinct
    viewer who joins its live room while it is live (flashsales.services.viewer_join; a
    repeat join by the same browser does not count, joins are throttled per address)."""
    return session.peak_viewers


def live_viewers_enough(session: LiveSession) -> bool:
    return live_session_viewers(session) >= rules.count("sample_min_live_viewers")


def live_viewers_message(session: LiveSession) -> str:
    return str(msg.LIVE_TOO_FEW_VIEWERS % {"count": rules.count("sample_min_live_viewers"),
                                            "viewers": live_session_viewers(session)})
