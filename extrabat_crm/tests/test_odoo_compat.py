"""Odoo's own tests of what this addon changes, run with the addon loaded.

Core tests run when their module installs, before this addon exists; these
subclasses run them again after it is installed (``post_install``), in the
normal test command. ``allow_inherited_tests_method`` makes Odoo's loader
collect the inherited test methods. Tag: ``extrabat_odoo_compat``.

Chosen because the addon changes partners (codes, status, trash, refused
deletion, commercial fields), the merge wizard, contacts' views and the
confirmation and invoicing of sale orders.
"""

from odoo.tests import tagged

from odoo.addons.base.tests.test_res_partner import (
    TestPartner,
    TestPartnerAddressCompany,
    TestPartnerCategory,
    TestPartnerForm,
    TestPartnerRecursion,
)
from odoo.addons.base.tests.test_res_partner_merge import TestMergePartner
from odoo.addons.contacts.tests.test_ui import TestUi as TestContactsUi
from odoo.addons.sale.tests.test_access_rights import TestAccessRights
from odoo.addons.sale.tests.test_controllers import TestSaleSignature
from odoo.addons.sale.tests.test_sale_order import TestSaleOrder
from odoo.addons.sale.tests.test_sale_refund import TestSaleRefund
from odoo.addons.sale.tests.test_sale_to_invoice import TestSaleToInvoice

COMPAT_TAGS = ("post_install", "-at_install", "extrabat_odoo_compat")


@tagged(*COMPAT_TAGS)
class TestCompatPartner(TestPartner):
    allow_inherited_tests_method = True


@tagged(*COMPAT_TAGS)
class TestCompatPartnerAddressCompany(TestPartnerAddressCompany):
    allow_inherited_tests_method = True


@tagged(*COMPAT_TAGS)
class TestCompatPartnerForm(TestPartnerForm):
    allow_inherited_tests_method = True


@tagged(*COMPAT_TAGS)
class TestCompatPartnerRecursion(TestPartnerRecursion):
    allow_inherited_tests_method = True


@tagged(*COMPAT_TAGS)
class TestCompatPartnerCategory(TestPartnerCategory):
    allow_inherited_tests_method = True


@tagged(*COMPAT_TAGS)
class TestCompatMergePartner(TestMergePartner):
    allow_inherited_tests_method = True


@tagged(*COMPAT_TAGS)
class TestCompatContactsUi(TestContactsUi):
    allow_inherited_tests_method = True


@tagged(*COMPAT_TAGS)
class TestCompatSaleOrder(TestSaleOrder):
    allow_inherited_tests_method = True


@tagged(*COMPAT_TAGS)
class TestCompatSaleToInvoice(TestSaleToInvoice):
    allow_inherited_tests_method = True


@tagged(*COMPAT_TAGS)
class TestCompatSaleRefund(TestSaleRefund):
    allow_inherited_tests_method = True


@tagged(*COMPAT_TAGS)
class TestCompatSaleAccessRights(TestAccessRights):
    allow_inherited_tests_method = True


@tagged(*COMPAT_TAGS)
class TestCompatSaleSignature(TestSaleSignature):
    allow_inherited_tests_method = True
