"""Shared data of the identity tests."""

from __future__ import annotations

import pytest

#: A small organization with the four required accounts and one workload account.
ORGANIZATION = """\
version: 1
organization:
  name: Gemeente Klein
  ous:
    - {name: Security}
    - {name: Infrastructure}
    - {name: Workloads, children: [{name: Prod}, {name: NonProd}]}
  accounts:
    - {name: management, id: "111111111111", email: a@klein.example, ou: Root, role: management}
    - {name: log-archive, id: "222222222222", email: b@klein.example, ou: Security, role: log-archive}
    - {name: security, id: "333333333333", email: c@klein.example, ou: Security, role: security}
    - {name: network, id: "444444444444", email: d@klein.example, ou: Infrastructure, role: network}
    - {name: app-prod, id: "666666666666", email: e@klein.example, ou: Workloads/Prod, role: workload}
    - {name: app-test, id: "777777777777", email: f@klein.example, ou: Workloads/NonProd, role: workload}
"""

#: SAML 2.0 identity provider metadata as Entra ID gives it (shortened; the certificate is not real).
SAML_METADATA = """\
<?xml version="1.0" encoding="utf-8"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata"
    entityID="https://sts.windows.net/00000000-0000-4000-8000-00000000000a/">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing">
      <KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#">
        <X509Data><X509Certificate>{certificate}</X509Certificate></X509Data>
      </KeyInfo>
    </KeyDescriptor>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://login.microsoftonline.com/00000000-0000-4000-8000-00000000000a/saml2"/>
  </IDPSSODescriptor>
</EntityDescriptor>
""".format(certificate="MIIC8DCCAdigAwIBAgIQ" + "TESTONLYnotARealCertificate" * 40)


@pytest.fixture
def organization_yaml() -> str:
    return ORGANIZATION


@pytest.fixture(scope="session")
def saml_metadata() -> str:
    return SAML_METADATA
