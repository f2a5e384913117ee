"""Staff accounts that hold under attack.

- Password guessing is locked out per user and address (django-axes, with
  ``newsroom.clients.client_address`` as the one rule for who is asking).
- A second factor (TOTP, with backup codes; django-otp) is required of the
  users ``SECOND_FACTOR_FOR`` names: ``policy``. ``admin_site`` asks for the
  code at login and sends those who have no device yet to enrol (``views``).
- A superuser recovers a lost device: the users' admin action or
  ``manage.py reset_second_factor``.
"""
