#!/usr/bin/env python
"""Password guessing against a running site's admin login, from one address.

    .venv/bin/python bench/login_attack.py --base http://127.0.0.1:8000 --username chief \\
        --password 'the-right-one' [--attempts 100]

Posts ``--attempts`` wrong passwords for ``--username`` (each with its own
CSRF token, as a browser would), then the right one, then one wrong password
for a user who does not exist. Prints how long the guessing took, the answers
it got (200: the form again; 429: locked out), the attempt the lockout began
at, what the right password got, and where it leads when the user must still
enrol a second factor. Only for sites of your own (loopback here).
"""

import argparse
import collections
import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def log_in(base: str, username: str, password: str, *, follow: bool = False) -> tuple[int, str, str]:
    """One login as a browser makes it; returns the status, the page and the address it ended on."""
    handlers = [urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())]
    opener = urllib.request.build_opener(*handlers, *([] if follow else [NoRedirect()]))
    form = opener.open(f"{base}/admin/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    fields = {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"}
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(f"{base}/admin/login/", data=data, headers={"Referer": f"{base}/admin/login/"})
    try:
        with opener.open(request) as response:
            return response.status, response.read().decode(), response.geturl()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), exc.geturl()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--attempts", type=int, default=100)
    args = parser.parse_args()
    answers, locked_at = collections.Counter(), None
    started = time.monotonic()
    for n in range(1, args.attempts + 1):
        status, _, _ = log_in(args.base, args.username, f"wrong-guess-{n}")
        answers[status] += 1
        if status == 429 and locked_at is None:
            locked_at = n
    seconds = time.monotonic() - started
    print(f"{args.attempts} wrong passwords in {seconds:.1f} s: {dict(answers)}; locked out from attempt {locked_at}")
    status, page, _ = log_in(args.base, args.username, args.password)
    print(f"then the right password: {status}{' (locked out)' if status == 429 else ''}")
    status, _, _ = log_in(args.base, "no-such-user", "wrong")
    print(f"a user who does not exist, one wrong password: {status}")
    if answers[429] == 0:
        _, _, landed = log_in(args.base, args.username, args.password, follow=True)
        print(f"the right password alone lands on {urllib.parse.urlsplit(landed).path}")


if __name__ == "__main__":
    main()
