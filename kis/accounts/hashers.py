"""Password hashing parameters chosen on purpose (bench/README.md, "Against the goal").

Argon2id with OWASP's recommended configuration m = 19 MiB, t = 2, p = 1 (Password Storage
Cheat Sheet), instead of Django's default m = 100 MiB, t = 2, p = 8: on our 2-core servers the
default costs about 130 ms of CPU per login, and eight lanes per hash let a burst of logins
starve the other requests. Every staff account also has a second factor and a login rate limit.
Hashes made with other parameters still verify and are upgraded at the next login.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class KisArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
