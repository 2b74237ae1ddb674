"""Stage 1 — data: from the files bureaux send to one validated tidy table.

``read`` finds the data files (``workbook`` reads the cells of xlsx and xls) and turns every sheet into records (cells as written, with the header,
unit and title hints of their table); ``numbers`` parses values and years; ``catalogue`` maps names,
aliases and units to indicator codes; ``validate`` checks every record and collects every problem
(``problems``); ``build`` writes ``data/processed/`` atomically; ``params`` checks the parameters a
notebook or a report run is given and loads the data for it; ``store`` keeps results a batch's counties
share under a hash of their inputs.

May import: the foundation modules (``lingshou.config``, ``errors``, ``i18n``, ``atomic``, ``yamlfile``)
and its own modules.  Nothing here imports a later stage.
"""
