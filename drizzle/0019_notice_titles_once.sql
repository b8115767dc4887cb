-- Session notices were announced as "集中学习：" + a title that often began with 集中学习：
-- already. Say the label once in the notices sent so far (new ones are built right).
UPDATE `notifications` SET `title` = substr(`title`, 6) WHERE `title` LIKE '集中学习：集中学习：%';
