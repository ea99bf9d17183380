"""The user's language, way of writing numbers and clock: one owner for each.

* Words go through gettext (:mod:`ticker.i18n.words`: ``_``, ``N_``, ``ngettext``,
  ``pgettext``); the catalogues are ``ticker/i18n/po/<language>/*.po`` (one file per part
  of the program, so that the parts are translated apart), compiled into
  ``ticker/i18n/locale/<language>/LC_MESSAGES/ticker.mo`` by ``make catalogues``.
* Numbers and dates follow the locale's CLDR rules (:mod:`ticker.i18n.numbers`,
  :mod:`ticker.i18n.dates`): only the symbols and the month names change, never the
  significant digits. What the fast paths need of a locale is a small table
  (:mod:`ticker.i18n.cldr`, extracted from Babel's CLDR data); Babel itself is loaded only
  for a locale outside it.
* Times on screen and in the command line's words are in one zone, the user's
  (:mod:`ticker.i18n.zone`).

CSV, JSON, metrics and the config file never go through here.

Which language and locale: ``[display] language``, else the environment (``LC_ALL``,
``LC_MESSAGES``, ``LANG``), else English (:mod:`ticker.i18n.choice`).
"""
