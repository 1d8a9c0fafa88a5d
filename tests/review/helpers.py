"""What the review tests share besides fixtures: the seeded accounts' password, the served dashboard, CSRF."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import requests
from argon2 import PasswordHasher

PASSWORD = "correct horse battery staple"


def fast_hasher() -> PasswordHasher:
    """argon2id with tiny costs: the unit tests hash many passwords; the served app uses the defaults."""
    return PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


@dataclass
class Dashboard:
    url: str  # the web app, e.g. http://127.0.0.1:PORT
    database_url: str
    directory: Path

    def login(self, name: str, password: str = PASSWORD) -> requests.Session:
        """A logged-in HTTP session (cookie and CSRF token as a browser would have them)."""
        session = requests.Session()
        token = csrf_token(session.get(f"{self.url}/review/login").text)
        response = session.post(f"{self.url}/review/login", data={"name": name, "password": password,
                                                                     "csrf_token": token, "next": "/review/"},
                                allow_redirects=False)
        assert response.status_code == 303, response.text
        return session


def csrf_token(html: str) -> str:
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start: html.index('"', start)]
