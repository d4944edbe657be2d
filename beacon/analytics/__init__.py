"""Pure analytics: functions from columnar data to columnar results, with no Django.

The web application and the batch command line call the same functions, so a result
computed in one is the result computed in the other.
"""
