"""The demo data set of `manage.py load_demo`: the seed's programme in Lào Cai, its parks, about
150 invented enterprises with their organisations and returns for 2022–2024, the one-year review
and three users.

The Vietnamese content is data, in the TOML files of this folder (content.py reads them); the
enterprises are drawn from a fixed random seed (plan.py) and written by natural key, saving a row
only when it differs (writer.py), so that a second run changes nothing (not even a history row).
"""

from .content import PROGRAMME_NUMBER
from .install import DEMO_PASSWORD, USERNAMES, Summary, install_demo

__all__ = ["DEMO_PASSWORD", "PROGRAMME_NUMBER", "USERNAMES", "Summary", "install_demo"]
