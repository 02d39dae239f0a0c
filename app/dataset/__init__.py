"""The dataset kept by the authority: a draft of edits to the files, published as numbered
versions (``app.dataset.service``)."""
