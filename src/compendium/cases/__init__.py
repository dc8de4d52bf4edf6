"""The two cases and their comparison: public secondary data (``secondary``), the actors' network
(``ecosystem``), the framework applied (``framework``), coded material and reliability
(``coding``), and the cross-case synthesis (``synthesis``)."""
