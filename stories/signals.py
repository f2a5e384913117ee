"""The signals the stories app sends (imports nothing but ``django.dispatch``)."""

from django.dispatch import Signal

# Sent once the change has committed, when articles joined, left or led a story:
# articles=[…], every member of every story that changed (the pages showing
# them now show other sources), each with at least its pk, author_id and
# published_at (``stories.detection.TOLD``).
stories_changed = Signal()
