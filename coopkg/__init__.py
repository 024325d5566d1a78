"""coopkg: a knowledge graph of inter-regional cooperation.

>>> import coopkg
>>> coopkg.__version__
'0.1.0'
"""

__version__ = "0.1.0"
