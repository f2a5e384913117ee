"""Column sizes, in one place: the models declare their fields with them, and
the importer checks records against them without importing the models."""

SLUG_MAX_LENGTH = 80
TITLE_MAX_LENGTH = 300
NAME_MAX_LENGTH = 200  # authors and categories
TAG_MAX_LENGTH = 100  # taggit's TagBase.name
URL_MAX_LENGTH = 1000
FILE_NAME_MAX_LENGTH = 500
