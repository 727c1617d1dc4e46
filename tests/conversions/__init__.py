"""The example web pages made into text with the converters users have, and scored."""
