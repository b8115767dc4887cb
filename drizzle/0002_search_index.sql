-- Full-text search over module and lesson titles and text. The trigram tokenizer
-- matches any substring of three or more characters, which suits Chinese (no word
-- boundaries). Filled and kept in step by the content sync, never by hand.
CREATE VIRTUAL TABLE `search_index` USING fts5(
	`kind` UNINDEXED,
	`ref_id` UNINDEXED,
	`title`,
	`body`,
	tokenize = 'trigram'
);
