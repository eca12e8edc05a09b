"""What a handout's PDF says about itself: its title and language, as far as Qt lets it.

QPdfWriter writes the title into the document information dictionary (``/Title``) and an XMP
metadata stream of its own, which has the title but no language. A writer may replace that stream
(``setDocumentXmpMetadata``), so CaseGuide writes one with the title in the guide's language and
``dc:language``, the language every PDF reader's document properties show.

What Qt does not allow: the catalog's ``/Lang`` entry (the language screen readers take for the
text; Qt writes no such entry and has no call for it), ``/ViewerPreferences /DisplayDocTitle`` (so
viewers show the file name in their title bar, not the title), and a tagged PDF (a structure tree
of headings, paragraphs and reading order): QPdfWriter makes untagged PDFs only.
"""

from __future__ import annotations

import datetime as _dt
from xml.sax.saxutils import escape, quoteattr

from .. import __version__

_XMP = """<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li><rdf:li xml:lang={language_attr}>{title}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
   <dc:format>application/pdf</dc:format>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool={creator}
   xmp:CreateDate="{now}" xmp:ModifyDate="{now}" xmp:MetadataDate="{now}"/>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" pdf:Producer={creator}/>
  <rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
   xmpMM:DocumentID="uuid:{document_id}"/>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end='w'?>"""


def bcp47(language: str) -> str:
    """A catalog code as a language tag: "pt_BR" -> "pt-BR"."""
    return language.replace("_", "-")


def xmp_metadata(title: str, language: str, document_id, now: _dt.datetime | None = None) -> bytes:
    """The XMP stream for a handout: *title* (also as the title in *language*), *language* as
    dc:language, CaseGuide as the tool that made it, and *document_id* (the writer's QUuid)."""
    now = (now or _dt.datetime.now(_dt.timezone.utc)).replace(microsecond=0).isoformat()
    tag = bcp47(language)
    uuid = document_id.toString().strip("{}") if hasattr(document_id, "toString") else str(document_id)
    return _XMP.format(title=escape(title), language=escape(tag), language_attr=quoteattr(tag),
                       creator=quoteattr(f"CaseGuide {__version__}"), now=now,
                       document_id=escape(uuid)).encode("utf-8")
