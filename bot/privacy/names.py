"""Lists of personal names, from Faker's locales plus names common in England that Faker lacks.

Used to make synthetic training messages for the name recogniser and as a
gazetteer. Only Latin-script names: practitioners type in English.
"""
from __future__ import annotations

import functools
import importlib
from typing import FrozenSet, List, Tuple

# Faker locales whose person providers hold Latin-script names.
LOCALES = [
    "en_GB", "en_IE", "en_US", "en_IN", "en_NG", "yo_NG", "ig_NG", "ha_NG", "tw_GH", "zu_ZA",
    "pl_PL", "ro_RO", "tr_TR", "lt_LT", "lv_LV", "cs_CZ", "sk_SK", "hu_HU", "hr_HR", "sl_SI",
    "pt_PT", "pt_BR", "es_ES", "fr_FR", "it_IT", "de_DE", "nl_NL", "vi_VN", "id_ID", "fil_PH",
    "sq_AL", "et_EE", "fi_FI", "da_DK", "sv_SE", "no_NO",
]

# South Asian, Somali, Arabic, Chinese, Roma and Traveller names as written in England.
EXTRA_FIRST_NAMES = """
Mohammed Muhammad Mohammad Ahmed Ahmad Ali Omar Umar Yusuf Yousef Ibrahim Ismail Hamza Bilal Zain Zayn
Ayaan Rayyan Imran Tariq Rashid Faisal Hassan Hussein Hussain Abdi Abdullahi Abdirahman Mahad Guled
Farah Hodan Hibo Ayan Ayaan Sagal Nimco Fadumo Khadija Fatima Fatuma Aisha Ayesha Amina Zainab Maryam
Mariam Safa Sana Saima Nadia Noor Nur Hafsa Sumaya Samira Yasmin Yasmeen Leila Layla Zara Zahra
Priya Anjali Simran Harpreet Gurpreet Jaspreet Manpreet Navdeep Sukhdeep Arjun Rohan Vikram Sanjay
Ravi Deepak Kiran Aarav Vihaan Ishaan Anaya Diya Riya Kavya Tanvir Shahid Jamal Kamal Nasir Saif
Wei Jun Li Xin Yan Mei Ling Hui Chen Jia Hao Yu Zhen Minh Anh Thanh Linh Duc Tuan
Kayden Jayden Kayleigh Kyra Tyreese Tyrone Deshawn Jermaine Demarcus Shanice Tiana Keisha Aaliyah
Precious Blessing Chidi Chiamaka Tobi Tolu Femi Kemi Dami Bayo Ngozi Emeka Obi Kwame Kofi Ama Akua
Chanel Tiegan Kacey Kelsey Leighton Brandon Tyler Lacey Shannon Paddy Mickey Bridget Kathleen
Dragos Florin Mihai Andrei Ionut Bogdan Vasile Gheorghe Nicu Stefan Marius Alin Denisa Bianca
Will Pat Mo Alfie Ollie Ruby Sky River Rocky Ty Star Reggie Frankie Stevie Ronnie Lexi Evie Mollie
Millie Poppy Rosie Maisie Tilly Bella Harley Kaiden Tommy Danny Robbie Jonny Kenzie Kacper Kiera
""".split()

EXTRA_SURNAMES = """
Khan Ahmed Ali Hussain Hussein Shah Begum Bibi Akhtar Iqbal Rahman Islam Uddin Miah Chowdhury Choudhury
Patel Sharma Singh Kaur Gill Sandhu Sidhu Dhillon Bains Johal Mistry Desai Joshi Mehta Kumar
Mohamed Mohamud Warsame Abdi Farah Hassan Jama Nur Osman Yusuf Egal Aden Guled Ismail Hirsi
Okafor Okonkwo Adeyemi Adebayo Oluwaseun Balogun Mensah Asante Owusu Boateng Appiah Nwosu Eze
Wang Zhang Liu Chen Huang Zhao Wu Zhou Lin Nguyen Tran Pham Hoang Le Vu
McDonagh Ward Joyce Connors Maughan Stokes Doherty Lee Lovell Boswell Smith-Jones Price-Davies
Kowalski Nowak Wisniewski Popescu Ionescu Lakatos Balog Horvath Oláh Dumitru Stan Stoica
O'Brien O'Connor O'Neill D'Souza D'Silva De'Ath McAllister MacLeod
""".split()


def _provider_names(locale: str, attribute: str) -> List[str]:
    try:
        module = importlib.import_module(f"faker.providers.person.{locale}")
    except ImportError:
        return []
    names = getattr(module.Provider, attribute, ())
    return [name for name in names if isinstance(name, str)]


def _latin(name: str) -> bool:
    return all(ch.isascii() or ch.isalpha() and ord(ch) < 0x250 for ch in name) and len(name) > 1


@functools.lru_cache(maxsize=1)
def first_and_last_names() -> Tuple[List[str], List[str]]:
    firsts, lasts = set(EXTRA_FIRST_NAMES), set(EXTRA_SURNAMES)
    for locale in LOCALES:
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            firsts.update(n for n in _provider_names(locale, attribute) if _latin(n))
        lasts.update(n for n in _provider_names(locale, "last_names") if _latin(n))
    return sorted(firsts), sorted(lasts)


@functools.lru_cache(maxsize=1)
def gazetteer() -> FrozenSet[str]:
    """Lower-case single-token names."""
    firsts, lasts = first_and_last_names()
    return frozenset(name.lower() for name in firsts + lasts if " " not in name)
