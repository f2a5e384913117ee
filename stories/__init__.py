"""Stories: the copies of one story that many outlets run, found by near-duplicate text.

``signatures`` turns a body into a MinHash signature and its LSH band keys
(pure); ``detection`` files each changed article into a story, reading a
bounded number of rows (``models``); ``editing`` holds the desk's merge, take
out and choose-the-lead; ``queries`` is what the reader, the API and the desk
read. This app hears ``content.signals.articles_changed``; content never
imports it.
"""
