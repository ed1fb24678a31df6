"""Tests of the dlguide package and of the book built from it."""
