"""Updates from a publisher's feed: The Update Framework (python-tuf) over a web host, a shared
folder or a USB stick.

A feed is a TUF repository of signed ``.cgpack`` files (``publisher``). A PC trusts the feed's root
metadata, which staff get from the publisher by another channel, and ``client`` brings the packs
that changed through TUF's checks (rollback, freeze, mix-and-match, wrong keys, hashes and lengths)
and then through the same checks as ``caseguide pack install`` (the publisher's minisign signature,
ownership, no downgrades): two independent layers. ``fetch`` is the only module in CaseGuide that
opens a network connection, and only when staff run ``caseguide update``; the window never imports
anything here but ``state``, which reads the record of the last update.
"""

from ..errors import CaseGuideError


class FeedError(CaseGuideError):
    """A feed, or an update from one, that cannot be used: what happened, and what to do."""
