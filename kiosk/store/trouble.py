"""The store's own troubles in words: locked by another program, a full disk, read-only,
damaged. SQLite reports them as errors whose text means nothing to a clerk; each says
what happened and what to do, in English and French. A transaction that failed so was
rolled back whole: the step it carried was not done (what was saved before stays)."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError

# (words in SQLite's message, English, French); the first that matches is said.
TROUBLES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        ("database is locked", "database table is locked"),
        "The kiosk's store is busy in another program (another kiosk window or command on "
        "this folder, a backup or a database tool): this step was not saved. Try again in a "
        "moment; if it goes on, close that program or call a technician.",
        "La base du kiosque est occupée par un autre programme (une autre fenêtre ou "
        "commande du kiosque sur ce dossier, une sauvegarde ou un outil de base de données) : "
        "cette étape n'a pas été enregistrée. Réessayer dans un instant ; si cela dure, "
        "fermer ce programme ou appeler un technicien.",
    ),
    (
        ("database or disk is full", "disk i/o error"),
        "The kiosk's store cannot be written: its disk is full or failing. This step was not "
        "saved: call a technician to free space on the disk, then try again.",
        "La base du kiosque ne peut pas être écrite : son disque est plein ou défaillant. "
        "Cette étape n'a pas été enregistrée : appeler un technicien pour libérer de la place "
        "sur le disque, puis réessayer.",
    ),
    (
        ("readonly database",),
        "The kiosk's store is read-only (its file or disk cannot be written): this step was "
        "not saved. Call a technician.",
        "La base du kiosque est en lecture seule (son fichier ou son disque ne peut pas être "
        "écrit) : cette étape n'a pas été enregistrée. Appeler un technicien.",
    ),
    (
        ("unable to open database file",),
        "The kiosk's store cannot be opened (its folder or disk is missing or unreadable): "
        "call a technician.",
        "La base du kiosque ne peut pas être ouverte (son dossier ou son disque est absent ou "
        "illisible) : appeler un technicien.",
    ),
    (
        ("malformed", "not a database"),
        "The kiosk's store is damaged: call a technician (the hub holds everything this "
        "kiosk delivered).",
        "La base du kiosque est endommagée : appeler un technicien (le hub détient tout ce "
        "que ce kiosque a livré).",
    ),
)


def store_trouble(error: BaseException) -> tuple[str, str] | None:
    """What `error` says about the store, in English and French, when it is one of
    SQLite's own troubles (TROUBLES); None for any other error."""
    if isinstance(error, DBAPIError):
        error = error.orig or error
    if not isinstance(error, sqlite3.Error):
        return None
    text = str(error).lower()
    for words, en, fr in TROUBLES:
        if any(w in text for w in words):
            return en, fr
    return None
