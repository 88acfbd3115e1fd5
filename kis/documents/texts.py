"""The free-text blocks of the documents: default wording, the fixed placeholders, substitution.

Clubs may reword a block, but the text is never a template: the only thing replaced is a fixed
set of placeholders such as ``{imie_nazwisko}``, by plain string substitution. A block that names
any other placeholder is refused with a message naming it. The default wording lives here (English
msgids, Polish in the catalog) and a club's own wording can be reset to it at any time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kis.clubs.models import Club
from kis.documents.models import DocumentKind, TextBlock

# Placeholder names are Polish on purpose: the people who edit the blocks read them.
CLUB = {
    "nazwa_klubu": _("name of the club"),
    "adres_klubu": _("address of the club"),
    "podmiot_prowadzacy": _("name of the operator"),
    "adres_podmiotu": _("address of the operator"),
    "kontakt_podmiotu": _("operator's e-mail or phone"),
    "kierownik": _("person managing the club"),
    "miejscowosc": _("town of the club"),
    "data": _("date of the document"),
}
PERSON = {
    "imie_nazwisko": _("first name and last name"),
    "imie": _("first name"),
    "nazwisko": _("last name"),
    "data_urodzenia": _("date of birth"),
}
PERIOD = {
    "data_rozpoczecia": _("participation started on"),
    "data_zakonczenia": _("participation ended on"),
}
CERTIFICATE = {"numer_zaswiadczenia": _("number of the certificate")}

PLACEHOLDERS: dict[str, Mapping[str, Promise]] = {
    DocumentKind.DECLARATION: {**CLUB, **PERSON},
    DocumentKind.NOTICE: {**CLUB, **PERSON},
    DocumentKind.CONTRACT: {**CLUB, **PERSON},
    DocumentKind.PLAN: {**CLUB, **PERSON},
    DocumentKind.ATTENDANCE: CLUB,
    DocumentKind.HOURS_CARD: {**CLUB, **PERSON},
    DocumentKind.SETTLEMENT: CLUB,
    DocumentKind.CERTIFICATE: {**CLUB, **PERSON, **PERIOD, **CERTIFICATE},
    DocumentKind.FILE: {**CLUB, **PERSON},
}


@dataclass(frozen=True)
class Block:
    key: str
    label: Promise
    default: Promise


BLOCKS: dict[str, list[Block]] = {
    DocumentKind.DECLARATION: [
        Block(
            "intro",
            _("Opening"),
            _(
                "I, the undersigned {imie_nazwisko}, declare that I wish to take part in the activities of "
                "{nazwa_klubu} run by {podmiot_prowadzacy}."
            ),
        ),
        Block(
            "statements",
            _("Statements"),
            _(
                "I declare that:\n"
                "– I take part in the club voluntarily (art. 18 ust. 3 u.z.s.);\n"
                "– I take part in the club within a social contract (art. 18 ust. 4 u.z.s.);\n"
                "– I have read the rules of the club and will follow them;\n"
                "– the data given above are true."
            ),
        ),
    ],
    DocumentKind.NOTICE: [
        Block(
            "controller",
            _("Controller"),
            _(
                "The controller of your personal data is {podmiot_prowadzacy}, {adres_podmiotu}, which runs "
                "{nazwa_klubu}. Contact: {kontakt_podmiotu}."
            ),
        ),
        Block(
            "dpo",
            _("Data protection officer"),
            _(
                "The controller has appointed a data protection officer, whom you can contact in writing at the "
                "controller's address in every matter concerning your personal data."
            ),
        ),
        Block(
            "purposes",
            _("Purposes and legal bases"),
            _(
                "Your data are processed to carry out your participation in the club and your social contract, "
                "under art. 6 ust. 1 lit. c and e and art. 9 ust. 2 lit. b and g GDPR, in connection with the Act "
                "of 13 June 2003 on social employment and the Act of 12 March 2004 on social assistance. Optional "
                "data (such as your image) are processed only with your consent (art. 6 ust. 1 lit. a GDPR)."
            ),
        ),
        Block(
            "recipients",
            _("Recipients and retention"),
            _(
                "Your data may be given only to bodies entitled by law (such as the social assistance centre, the "
                "labour office or the voivode) and to entities that process data on the controller's behalf. They "
                "are kept for the periods set by the rules on archives (the controller's filing plan)."
            ),
        ),
        Block(
            "rights",
            _("Your rights"),
            _(
                "You have the right to access your data, to have them corrected, to restrict their processing and "
                "to object to it, and to withdraw a consent at any time (this does not affect the processing "
                "before the withdrawal). You may lodge a complaint with the President of the Personal Data "
                "Protection Office (ul. Stawki 2, 00-193 Warszawa). Giving the data is a condition of taking part "
                "in the club; optional data may be withheld. Your data are not used for automated "
                "decision-making, including profiling."
            ),
        ),
        Block(
            "acknowledgement",
            _("Acknowledgement"),
            _("I have read this information. {imie_nazwisko}, {miejscowosc}, {data}."),
        ),
    ],
    DocumentKind.CONTRACT: [
        Block(
            "footer",
            _("Note under the contract"),
            _(
                "The social contract is concluded by the social assistance centre (art. 108 u.p.s.). This is the "
                "copy kept by {nazwa_klubu} in the participant's file."
            ),
        ),
    ],
    DocumentKind.PLAN: [
        Block(
            "footer",
            _("Note under the plan"),
            _("The plan was agreed with {imie_nazwisko}. Every change of the plan is a new version."),
        ),
    ],
    DocumentKind.ATTENDANCE: [
        Block(
            "footer",
            _("Note under the list"),
            _("By signing, the participants confirm their presence at the activities of {nazwa_klubu}."),
        ),
    ],
    DocumentKind.HOURS_CARD: [
        Block(
            "statement",
            _("Confirmation"),
            _("I confirm the hours worked listed above. {imie_nazwisko}"),
        ),
    ],
    DocumentKind.SETTLEMENT: [
        Block(
            "footer",
            _("Note under the settlement"),
            _("Prepared by {nazwa_klubu} from the participants' hours cards, {miejscowosc}, {data}."),
        ),
    ],
    DocumentKind.CERTIFICATE: [
        Block(
            "body",
            _("Text of the certificate"),
            _(
                "This certifies that {imie_nazwisko}, born on {data_urodzenia}, took part in the activities of "
                "{nazwa_klubu} run by {podmiot_prowadzacy} from {data_rozpoczecia} to {data_zakonczenia}."
            ),
        ),
        Block(
            "legal_basis",
            _("Legal basis"),
            _(
                "The certificate is issued under art. 18 ust. 5a of the Act of 13 June 2003 on social "
                "employment (u.z.s.)."
            ),
        ),
    ],
    DocumentKind.FILE: [
        Block(
            "cover",
            _("Cover note"),
            _("File of the participant {imie_nazwisko} kept by {nazwa_klubu}. Printed on {data}."),
        ),
    ],
}

_TOKEN = re.compile(r"\{([^{}]*)\}")


def block(kind: str, key: str) -> Block:
    """The block ``key`` of ``kind``; ``KeyError`` for an unknown one."""
    for candidate in BLOCKS[kind]:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


def unknown_placeholders(kind: str, text: str) -> list[str]:
    """Names in braces that are not placeholders of ``kind``, in order of appearance, once each."""
    allowed = PLACEHOLDERS[kind]
    found: list[str] = []
    for match in _TOKEN.finditer(text):
        name = match[1]
        if name not in allowed and name not in found:
            found.append(name)
    return found


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace known placeholders with ``values``; anything else in braces stays as typed."""
    return _TOKEN.sub(lambda match: values.get(match[1], match[0]), text)


def blocks_for(club: Club, kind: str, values: Mapping[str, str]) -> dict[str, str]:
    """Every block of ``kind`` for ``club``: its own wording or the default, placeholders filled (one query)."""
    own = dict(TextBlock.objects.filter(club=club, kind=kind).values_list("key", "text"))
    return {b.key: fill(own.get(b.key, str(b.default)), values) for b in BLOCKS[kind]}
