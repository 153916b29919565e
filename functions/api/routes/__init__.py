"""One Powertools Router per module."""
