"""Build-time tools for the text analysis data (never in the Lambda zip): the look-alike table
and the category model weights, both shipped as data under chalicelib/text/."""
