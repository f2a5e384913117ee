"""The signals the stories app sends (imports nothing but ``django.dispatch``)."""

from django.dispatch import Signal

# Sent once the change has committed, when articles joined, left or led a story:
# article_ids=[…], every member of every story that changed (the pages showing
# them now show other sources).
stories_changed = Signal()
