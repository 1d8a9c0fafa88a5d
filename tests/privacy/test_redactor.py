from __future__ import annotations

import subprocess
import sys

import pytest

from bot import settings
from bot.privacy.redactor import Redactor, merge


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jayden Smith, 14, has gone missing from his placement",
         "[NAME], 14, has gone missing from his placement"),
        ("jayden hasnt come home again", "[NAME] hasnt come home again"),
        ("mum's number is 07700 900123", "mum's number is [PHONE]"),
        ("ring +44 161 496 0000 or 0161 496 0000", "ring [PHONE] or [PHONE]"),
        ("DOB 14/03/2010", "DOB [DATE]"),
        ("born 3rd April 2011", "born [DATE]"),
        ("lives at 22 Elm Grove, WA7 5TG", "lives at [ADDRESS], [POSTCODE]"),
        ("email m.okafor@hotmail.co.uk", "email [EMAIL]"),
        ("NHS no 943 476 5919", "NHS no [NHS_NUMBER]"),
        ("her NI is QQ 12 34 56 C", "her NI is [NI_NUMBER]"),
        ("snap: chloe.x22 and insta @mo_the_man", "snap: [HANDLE] and insta [HANDLE]"),
        ("Mrs O'Brien the foster carer", "[NAME] the foster carer"),
        ("Mary-Jane Kowalski is missing", "[NAME] is missing"),
    ],
)
def test_personal_data_is_replaced(redactor: Redactor, text: str, expected: str) -> None:
    assert redactor.redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "who do I notify if a looked after child goes missing",
        "Police and Social Care were told on Monday, Catch22 will do the RHI",
        "call 999 or 101, Missing People is 116 000, Childline 0800 1111",
        "the return home interview must happen within 72 hours",
        "Is the MASH or the EDT the right contact out of hours?",
        "What are the 10 most common signs of neglect?",
        "a 3 day field trip between the 2 school buildings",
        "he refused P.E. today and the L.A. said no",
        "the first floor meeting room",
        "In summer, 12 young people went missing from care",
        "the bill is 20 a week",
        "Number one, Mum says, is safety",
        "two Youth Court hearings",
        "No I haven't told the parents yet",
        "we have a caravan park day out at the caravan site",
    ],
)
def test_ordinary_questions_are_untouched(redactor: Redactor, text: str) -> None:
    assert redactor.redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("found at 3 Bóthar na Trá in the end", "found at [ADDRESS] in the end"),
        ("staying at Tŷ Gwyn, Heol y Bont near the farm", "staying at [ADDRESS] near the farm"),
        ("lives at flat 3 above the chip shop on Market St, we think", "lives at [ADDRESS], we think"),
        ("met him at Unit 4, Retail Park, Kingsway last night", "met him at [ADDRESS] last night"),
        ("the home at 2 Ashfield rang", "the home at [ADDRESS] rang"),
        ("missing from 3 Schools in 10 Days", "missing from 3 Schools in 10 Days"),
        ("missing from The Old Rectory, Church Hill today", "missing from [ADDRESS] today"),
        ("picks her up on station road most nights", "picks her up on [ADDRESS] most nights"),
        ("both from lower park rd area", "both from [ADDRESS] area"),
        ("we met on the road outside", "we met on the road outside"),
        ("Nan's house is 9 Bank Top, Bolton BL2 and", "Nan's house is [ADDRESS], Bolton [POSTCODE] and"),
        ("Mohammed Rahimi (Y8) and Ayesha, Y11", "[NAME] (Y8) and [NAME], Y11"),
        ("he was gone 2 days on the road with them", "he was gone 2 days on the road with them"),
        ("keeps going back to 11 the crescent in runcorn", "keeps going back to [ADDRESS] in runcorn"),
        ("last seen at no. 4 on Elm Rd, Luton", "last seen at [ADDRESS], Luton"),
        ("she lives at the Grand Hotel, room 301 now", "she lives at the [ADDRESS] now"),
        ("posting from a flat in the Lansbury estate", "posting from a flat in the [ADDRESS]"),
        ("FLAT 2 ABOVE THE CHIPPY 41 TANNERY ROW is where she stays", "[ADDRESS] is where she stays"),
        ("found at 2nd floor, 61 High Street, today", "found at [ADDRESS], today"),
        ("back on Pitch 14, Willow Bank caravan site with her mum", "back on [ADDRESS] with her mum"),
        ("Will Jayden be told about the plan?", "Will [NAME] be told about the plan?"),
    ],
)
def test_streets_without_an_english_type_word(redactor: Redactor, text: str, expected: str) -> None:
    assert redactor.redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dad is Jan de Vries, mum is Sophie van der Berg.", "Dad is [NAME], mum is [NAME]."),
        ("Rhys ap Gwyn is placed with us", "[NAME] is placed with us"),
        ("a man called Big K gave him a phone", "a man called [NAME] gave him a phone"),
        ("it was Rev. Samuel Addo who rang", "it was [NAME] who rang"),
        ("she stays with Aunty Bev most nights", "she stays with [NAME] most nights"),
        ("letter to Mr and Mrs Patel about it", "letter to [NAME] about it"),
        ("Will Dawson will be 15 next week", "[NAME] will be 15 next week"),
        ("our girl summer (14) came back", "our girl [NAME] (14) came back"),
        ("Mark (Year 6) told a TA", "[NAME] (Year 6) told a TA"),
        ("he is yk07official on Instagram", "he is [HANDLE] on Instagram"),
        ("my father Tariq rang", "my father [NAME] rang"),
        ("Father Byrne from the parish rang", "[NAME] from the parish rang"),
        ("Insp. Harcourt asked about it", "[NAME] asked about it"),
        ("Our lad T.J. went out at 4, D.O.B. on file", "Our lad [NAME] went out at 4, D.O.B. on file"),
        ("a man called 'Skinny' took her", "a man called '[NAME]' took her"),
    ],
)
def test_whole_names_with_their_particles_and_titles(redactor: Redactor, text: str, expected: str) -> None:
    assert redactor.redact(text) == expected


def test_names_that_are_words_are_caught_when_used_as_names(redactor: Redactor) -> None:
    assert redactor.redact("Grace has gone missing, Grace's mum is frantic") == \
        "[NAME] has gone missing, [NAME]'s mum is frantic"
    assert redactor.redact("I hope she comes back") == "I hope she comes back"


def test_bad_characters_are_cleaned_not_fatal(redactor: Redactor) -> None:
    assert redactor.redact("hi \udcff there\x00") == "hi ? there "
    assert redactor.redact("") == ""
    assert len(redactor.redact("a" * 50_000)) <= 20_000


def test_overlapping_and_adjacent_spans_merge() -> None:
    text = "Flat 3, Clarence House, 14 Derby Street"
    spans = [(0, 22, "ADDRESS"), (8, 15, "NAME"), (24, 39, "ADDRESS")]
    assert merge(spans, text) == [(0, 39, "ADDRESS")]


def test_redact_command_reads_stdin_and_writes_stdout() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "redact"],
        input=b"Chloe Evans rang 07700 900461\nwho do I tell\n\xff\xfe broken text\n",
        capture_output=True, cwd=settings.ROOT, timeout=300,
    )
    assert result.returncode == 0, result.stderr.decode()[-500:]
    assert result.stdout.decode().splitlines() == ["[NAME] rang [PHONE]", "who do I tell", "\ufffd\ufffd broken text"]


def test_a_training_class_code_stays_readable_but_names_do_not() -> None:
    from bot.privacy.redactor import default_redactor

    redactor = default_redactor()
    assert redactor.redact("join class K7P2QX") == "join class K7P2QX"
    assert redactor.redact("class code: ab12cd for Sam Smith") == "class code: ab12cd for [NAME]"
    assert redactor.redact("join class Jayden") == "join class [NAME]"
    assert redactor.redact("my class is near CH1 4QP") == "my class is near [POSTCODE]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jayden has autism and went missing from respite at 4 Elm Road",
         "[NAME] has autism and went missing from respite at [ADDRESS]"),
        ("Last seen wearing a red hoodie near the bus station",
         "Last seen wearing a red hoodie near the bus station"),
        ("the boy was seen with older males in a car", "the boy was seen with older males in a car"),
        ("Kai is on a CP plan, S17 then S47, placed by Wigan council", "[NAME] is on a CP plan, S17 then S47, "
         "placed by Wigan council"),
        ("Vietnamese boy, unaccompanied asylum seeking, has ADHD and an EHCP",
         "Vietnamese boy, unaccompanied asylum seeking, has ADHD and an EHCP"),
        ("last seen at Tesco in a black North Face puffer and grey Nike joggers",
         "last seen at Tesco in a black North Face puffer and grey Nike joggers"),
        ("she uses cannabis, known to CAMHS and the YOS, went to McDonald's in Rochdale",
         "she uses cannabis, known to CAMHS and the YOS, went to McDonald's in Rochdale"),
        ("is there a grace period, I hope she will turn up, her rose gold phone",
         "is there a grace period, I hope she will turn up, her rose gold phone"),
    ],
)
def test_the_field_s_ordinary_words_are_kept(redactor: Redactor, text: str, expected: str) -> None:
    assert redactor.redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # surnames that are the field's words, after a first name
        ("Tyler Ward is missing again", "[NAME] is missing again"),
        ("Jade Foster is 16 and pregnant", "[NAME] is 16 and pregnant"),
        ("Marcus Hall, 15, has ADHD", "[NAME], 15, has ADHD"),
        ("Summer Leigh went missing from Atherton", "[NAME] went missing from Atherton"),
        # first names that are words, used as names
        ("Grace has gone missing again", "[NAME] has gone missing again"),
        ("Hope (14) is back", "[NAME] (14) is back"),
        ("our girl summer (14) hasnt come home", "our girl [NAME] (14) hasnt come home"),
        ("Will Dawson left school at lunch", "[NAME] left school at lunch"),
        ("her brother Jack and his mate Mark picked her up", "her brother [NAME] and his mate [NAME] picked her up"),
        ("mum Rose is on 07700 900123", "mum [NAME] is on [PHONE]"),
        # a listed place or brand that is a first name, alone, may be a child
        ("Chelsea has not come back", "[NAME] has not come back"),
        ("but she was seen in Chelsea", "but she was seen in Chelsea"),
        # listed words that are names: after "to", "by", "from", "of", with an age, as a subject, on a form
        ("She was assaulted by Barry, her mum's boyfriend", "She was assaulted by [NAME], her mum's boyfriend"),
        ("I had a call from Georgia this morning", "I had a call from [NAME] this morning"),
        ("There is a photo of Chelsea on his phone", "There is a photo of [NAME] on his phone"),
        ("Armani is 14 and carrying a knife", "[NAME] is 14 and carrying a knife"),
        ("Lincoln, 14, is missing", "[NAME], 14, is missing"),
        ("Kenya has disclosed FGM", "[NAME] has disclosed FGM"),
        ("My foster child Bentley has gone missing", "My foster child [NAME] has gone missing"),
        ("Walker has been arrested for assaulting the child", "[NAME] has been arrested for assaulting the child"),
        ("Name: Armani Sutton", "Name: [NAME]"),
        ("Re: Dior Hamilton, 14, missing", "Re: [NAME], 14, missing"),
        ("Dior Smith is 14", "[NAME] is 14"),
        ("The abuse was by Barry Walker", "The abuse was by [NAME]"),
        ("MASON WALKER IS MISSING FROM CARE", "[NAME] IS MISSING FROM CARE"),
        ("Mr and Mrs Bentley are the foster carers", "[NAME] are the foster carers"),
        ("Emma said her dad hits her", "[NAME] said her dad hits her"),
        # a field word after a name is not part of it
        ("Dylan Ward ADHD, care order", "[NAME] ADHD, care order"),
        ("Jade Foster carer rang", "[NAME] Foster carer rang"),
    ],
)
def test_names_that_are_also_words_are_still_caught(redactor: Redactor, text: str, expected: str) -> None:
    assert redactor.redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a verb or an age after a condition, substance, service or nationality does not make it a name
        ("Methadone was found in his room. Kai is 15.", "Methadone was found in his room. [NAME] is 15."),
        ("Kayla is Kenyan, 14, and has sickle cell anaemia", "[NAME] is Kenyan, 14, and has sickle cell anaemia"),
        # an abbreviation in capitals is not the foreign first name it spells
        ("Diagnosed with ADHD, PDA and ODD, Jayden is 12", "Diagnosed with ADHD, PDA and ODD, [NAME] is 12"),
        ("She gets ESA and her carers are with an IFA", "She gets ESA and her carers are with an IFA"),
        # medicines, and conditions named after a person
        ("Ritalin and sertraline are in her bag; Kai is 13", "Ritalin and sertraline are in her bag; [NAME] is 13"),
        ("Kai has Noonan syndrome and is 12", "[NAME] has Noonan syndrome and is 12"),
        # unlisted, but with the ending of a condition or a medicine
        ("Kai has tonsillitis and went missing last night", "[NAME] has tonsillitis and went missing last night"),
        ("Lorazepam was found in her bag. Kai is 13", "Lorazepam was found in her bag. [NAME] is 13"),
        # services named like streets
        ("She was referred to Turning Point and lives in Staying Close",
         "She was referred to Turning Point and lives in Staying Close"),
        # a pronoun before an age, a school year, a word before a whole name
        ("She is 14 and he is 16, both missing", "She is 14 and he is 16, both missing"),
        ("Mia in Y10 has been absent 3 days", "[NAME] in Y10 has been absent 3 days"),
        ("Found Madison Clarke at the park", "Found [NAME] at the park"),
        ("Pupil Harrison Fairclough went missing on the trip", "Pupil [NAME] went missing on the trip"),
    ],
)
def test_the_field_s_vocabulary_is_kept_after_cues(redactor: Redactor, text: str, expected: str) -> None:
    assert redactor.redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rui Santos, 15, missing", "[NAME], 15, missing"),
        ("Esa has gone missing", "[NAME] has gone missing"),
        ("Brown is 14 and missing", "[NAME] is 14 and missing"),
        ("Ward, 15, missing from care", "[NAME], 15, missing from care"),
        ("Sunny Chahal has gone missing", "[NAME] has gone missing"),
        ("Mia Malone has gone missing", "[NAME] has gone missing"),
        ("PCSO Hargreaves found him", "[NAME] found him"),
        ("Mr Ward rang about Kai", "[NAME] rang about [NAME]"),
    ],
)
def test_names_next_to_the_field_s_vocabulary_are_still_caught(redactor: Redactor, text: str, expected: str) -> None:
    assert redactor.redact(text) == expected
