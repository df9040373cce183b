"""Thin HTTP views: parse with a Form, call one service, render or redirect."""
