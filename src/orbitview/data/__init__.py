"""What orbitview knows: launch records, element sets, sensors, sites, regions, sources.

Reads and validates bundled and user data; imports only :mod:`orbitview.util`.
"""
