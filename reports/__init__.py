"""The monthly notice (通报): ``model`` builds it from stored findings, ``html`` and ``docx`` render it.

Entry point for callers with a store: ``monitor.run.report.render_month``.
"""
