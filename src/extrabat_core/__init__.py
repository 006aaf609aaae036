"""Framework-free core of the Extrabat addons for Odoo 19.0.

Everything here works without Odoo (plain Python, lxml, Pillow) and is tested
by the pytest tier; the addons adapt Odoo recordsets to it.
"""

__version__ = "19.0.1.0.0"
