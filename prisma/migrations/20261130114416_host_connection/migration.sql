
-- AlterTable
ALTER TABLE "hosts" ADD COLUMN     "connection" JSONB NOT NULL DEFAULT '{}';

