"""The demo cluster of `manage.py seed_demo`: data files (*.toml) and the code of some areas."""
